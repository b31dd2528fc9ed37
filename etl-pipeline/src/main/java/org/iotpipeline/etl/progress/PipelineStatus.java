package org.iotpipeline.etl.progress;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of {@code /status}.
 *
 * @param watermark     every window ending at or before this instant is in staging (ISO-8601), null before the first
 * @param maxEventTime  newest valid event time seen (ISO-8601), null before the first
 * @param lastInputAt   when the measurements query last read an events-topic record (ISO-8601)
 * @param queries       the measurements and dead-letter queries
 * @param totals        counts since start
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineStatus(String watermark, String maxEventTime, String lastInputAt, List<QueryStatus> queries,
                             PipelineTotals totals) {

    public PipelineStatus {
        queries = List.copyOf(queries);
    }

    /** Every query is running. */
    public boolean healthy() {
        return !queries.isEmpty() && queries.stream().allMatch(QueryStatus::active);
    }
}
