package org.iotpipeline.etl.progress;

/**
 * Counts since this service started, as shown by {@code /status} and {@code /metrics}.
 *
 * @param recordsRead        events-topic records read by the measurements query (valid or not)
 * @param invalidRecords     of those, rejected by the decoder (seen by the measurements query)
 * @param deadLetters        rejected records committed to the dead-letter location (exactly once)
 * @param lateEvents         events stored as late rows: their window was already final when they arrived
 * @param droppedLate        events Spark dropped behind a watermark: always 0 by construction (README: what is counted)
 * @param duplicatesDropped  events dropped as duplicates of (deviceId, metricId, timestamp)
 * @param heartbeatsSent     idle heartbeats published
 * @param rowsWritten        measurement rows committed to staging
 * @param filesWritten       measurement files committed to staging
 * @param batchesCommitted   measurement batches committed
 * @param batchesSkipped     replays of already committed batches (both outputs)
 */
public record PipelineTotals(long recordsRead, long invalidRecords, long deadLetters, long lateEvents, long droppedLate,
                             long duplicatesDropped, long heartbeatsSent, long rowsWritten, long filesWritten,
                             long batchesCommitted, long batchesSkipped) {
}
