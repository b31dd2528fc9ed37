package org.iotpipeline.etl.progress;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The last progress of one streaming query, as shown by {@code /status}.
 *
 * @param name                   query name
 * @param active                 the query is running
 * @param failure                why it stopped, if it failed
 * @param lastBatchId            last completed micro-batch, -1 before the first
 * @param lastProgressAt         when that batch started (ISO-8601)
 * @param numInputRows           Kafka records read by that batch (all subscribed topics)
 * @param inputRowsPerSecond     arrival rate during that batch
 * @param processedRowsPerSecond processing rate of that batch
 * @param batchDurationMs        wall time of that batch
 * @param kafkaLag               records of the events topic not yet processed as of that batch (latest - processed offsets), null if unknown
 * @param watermark              watermark used by that batch (ISO-8601), null for stateless queries or before the first event
 * @param stateRows              rows held in the state stores
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryStatus(String name, boolean active, String failure, long lastBatchId, String lastProgressAt,
                          long numInputRows, double inputRowsPerSecond, double processedRowsPerSecond,
                          long batchDurationMs, Long kafkaLag, String watermark, long stateRows) {

    static QueryStatus notStarted(String name) {
        return new QueryStatus(name, false, null, -1, null, 0, 0, 0, 0, null, null, 0);
    }

    QueryStatus withState(boolean nowActive, String failureReason) {
        return new QueryStatus(name, nowActive, failureReason, lastBatchId, lastProgressAt, numInputRows,
                inputRowsPerSecond, processedRowsPerSecond, batchDurationMs, kafkaLag, watermark, stateRows);
    }
}
