package org.iotpipeline.query.console;

/**
 * The ETL as the pipeline page shows it, from its admin {@code /status} and {@code /metrics}.
 *
 * @param url                    where it was read
 * @param up                     {@code /status} answered
 * @param error                  why not, or what else could not be read (null when all was read)
 * @param healthy                both streaming queries run
 * @param recordsReadPerSecond   Kafka records read per second since the previous reading
 * @param inputRowsPerSecond     Spark's arrival rate during the last micro-batch
 * @param processedRowsPerSecond Spark's processing rate of the last micro-batch
 * @param kafkaLag               events-topic records not processed yet, as of the last batch
 * @param watermark              every window ending at or before it is final
 * @param freshnessSeconds       now minus the watermark
 * @param lastBatchAt            when the last measurements batch started
 * @param deadLetters            malformed records written to the dead letters since start
 * @param deadLettersPerSecond   of those, per second since the previous reading
 * @param lateEvents             events stored as late rows since start
 * @param droppedLate            events dropped for being late (0 by construction)
 * @param compactionRuns         compaction runs since start
 * @param compactionFailures     failed compaction runs since start
 * @param lastCompactionAt       when compaction last ran
 * @param lastCompactionError    the last compaction failure, if any
 */
public record EtlView(String url, boolean up, String error, Boolean healthy, Double recordsReadPerSecond,
                      Double inputRowsPerSecond, Double processedRowsPerSecond, Long kafkaLag, String watermark,
                      Double freshnessSeconds, String lastBatchAt, Long deadLetters, Double deadLettersPerSecond,
                      Long lateEvents, Long droppedLate, Long compactionRuns, Long compactionFailures,
                      String lastCompactionAt, String lastCompactionError) {

    static EtlView down(String url, String error) {
        return new EtlView(url, false, error, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }
}
