package org.iotpipeline.etl.commit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The files of one micro-batch, relative to the output root. Saved twice by {@link BatchCommitter}:
 * as the pending list before any file becomes visible (so a retry knows what to remove) and as the
 * commit marker once all are in place ({@code committedAt} set).
 *
 * @param batchId     Spark's micro-batch id
 * @param rows        rows written in the batch
 * @param files       final paths relative to the output root, e.g. {@code year=2025/month=11/day=24/hour=16/part-b000000042-00000.parquet}
 * @param committedAt ISO-8601 instant of the commit; {@code null} in the pending list
 * @param state       what a stateful output carries to the next batch ({@code null} for stateless outputs)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchManifest(long batchId, long rows, List<String> files, String committedAt, StreamState state) {

    public BatchManifest {
        files = List.copyOf(files);
    }
}
