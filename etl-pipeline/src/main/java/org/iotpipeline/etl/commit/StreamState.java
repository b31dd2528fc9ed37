package org.iotpipeline.etl.commit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a stateful output carries from one micro-batch to the next, saved in each commit marker so
 * that it is committed atomically with the batch's files (see {@link BatchCommitter}).
 *
 * @param watermarkMs    the event-time watermark after the batch (epoch ms); null before the first event
 * @param openWindows    name of the directory under the live root holding the rows of the windows
 *                       that are not final after this batch, e.g. {@code b-000000042}; null when none ever existed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamState(Long watermarkMs, String openWindows) {

    /** Before the first batch. */
    public static final StreamState INITIAL = new StreamState(null, null);
}
