package org.iotpipeline.etl.commit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a stateful output carries from one micro-batch to the next, saved in each commit marker so
 * that it is committed atomically with the batch's files (see {@link BatchCommitter}).
 *
 * @param watermarkMs    the event-time watermark after the batch (epoch ms); null before the first event
 * @param openWindows    name of the live-area snapshot with the rows of the windows that are not
 *                       final after this batch, e.g. {@code b-000000042}; null when none ever existed
 * @param latest         name of the live-area snapshot with the newest reading of every (device, metric); null when none
 * @param maxEventTimeMs newest event time read so far (epoch ms); null before the first event
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamState(Long watermarkMs, String openWindows, String latest, Long maxEventTimeMs) {

    /** Before the first batch. */
    public static final StreamState INITIAL = new StreamState(null, null, null, null);
}
