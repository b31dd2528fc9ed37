package org.iotpipeline.etl.idle;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The heartbeat record and the event time it carries.
 *
 * <p>A heartbeat is a record on the heartbeat topic whose value is an event time in epoch
 * milliseconds, as decimal ASCII (e.g. {@code 1764000660000}). The measurements query reads it
 * like an event up to the watermark operator, so it moves the watermark, and drops it before
 * de-duplication and aggregation, so it is never counted. {@link HeartbeatPolicy} decides when
 * one is sent and which time it carries.
 */
public final class Heartbeats {

    private Heartbeats() {
    }

    /** End (exclusive) of the epoch-aligned tumbling window holding {@code eventTimeMs}, as Spark's window() does. */
    public static long windowEnd(long eventTimeMs, Duration window) {
        long length = window.toMillis();
        return Math.floorDiv(eventTimeMs, length) * length + length;
    }

    public static byte[] encode(long eventTimeMs) {
        return Long.toString(eventTimeMs).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @throws NumberFormatException if the value is not a heartbeat written by {@link #encode}
     */
    public static long decode(byte[] value) {
        if (value == null) {
            throw new NumberFormatException("heartbeat without a value");
        }
        return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
    }
}
