package org.iotpipeline.etl.progress;

/**
 * What the service remembers of the measurements query across restarts (Spark's checkpoint holds
 * the watermark but not the newest event time, which the idle heartbeat needs).
 *
 * @param batchId         last completed batch, -1 if none
 * @param watermarkMs     watermark of that batch (epoch ms), -1 if none yet
 * @param maxEventTimeMs  newest valid event time ever seen (heartbeats excluded), -1 if none
 */
public record ProgressSnapshot(long batchId, long watermarkMs, long maxEventTimeMs) {

    public static final ProgressSnapshot EMPTY = new ProgressSnapshot(-1, -1, -1);
}
