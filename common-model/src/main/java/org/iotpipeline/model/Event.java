package org.iotpipeline.model;

/**
 * One measurement from one device: the unit the whole pipeline carries.
 *
 * <p>Instances are only ever built by {@link EventCodec} after validation, or by code that
 * produces events itself (the load generator); the compact constructor re-checks the invariants
 * so an invalid event cannot exist in memory.
 *
 * @param deviceId  the device, 0..2^31-1; also the Kafka record key, so one device stays ordered
 * @param metricId  which measurement of the device, 0..2^31-1
 * @param timestamp event time, epoch milliseconds UTC, not negative
 * @param value     the measured value, finite
 */
public record Event(int deviceId, int metricId, long timestamp, double value) {

    public Event {
        if (deviceId < 0) {
            throw new IllegalArgumentException("deviceId must be in 0..2147483647, got " + deviceId);
        }
        if (metricId < 0) {
            throw new IllegalArgumentException("metricId must be in 0..2147483647, got " + metricId);
        }
        if (timestamp < 0) {
            throw new IllegalArgumentException("timestamp must not be negative, got " + timestamp);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite, got " + value);
        }
    }
}
