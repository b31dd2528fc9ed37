package org.iotpipeline.store;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the live area holds as of one committed micro-batch of the ETL: published by the ETL as
 * {@code <live>/_current-<batch id>.json} after the batch's commit marker, the highest one current.
 *
 * @param batchId         the micro-batch
 * @param watermarkMs     its event-time watermark (epoch ms): windows ending at or before it are
 *                        final; null before the first event
 * @param maxEventTimeMs  the newest event time read so far (epoch ms), the live tables' freshness; null before the first
 * @param openWindows     directory under {@code <live>/measurements/} with the rows of the windows
 *                        that are not final yet (null: none)
 * @param latest          directory under {@code <live>/latest/} with the newest reading of every
 *                        (device, metric) (null: none)
 * @param windowMs        the ETL's window length: every open window starts after {@code watermarkMs - windowMs}
 * @param committedAtMillis when the batch committed (epoch ms)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LivePointer(long batchId, Long watermarkMs, Long maxEventTimeMs, String openWindows, String latest,
                          long windowMs, long committedAtMillis) {

    public LivePointer {
        requirePlainName(openWindows);
        requirePlainName(latest);
    }

    private static void requirePlainName(String name) {
        if (name != null && (name.isEmpty() || name.contains("/") || name.startsWith(".") || name.startsWith("_"))) {
            throw new IllegalArgumentException("not a snapshot directory name: '" + name + "'");
        }
    }
}
