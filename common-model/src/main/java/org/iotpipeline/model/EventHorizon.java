package org.iotpipeline.model;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How old and how far ahead of a reference clock an event's timestamp may be: the one rule that
 * keeps "acknowledged" and "stored" the same set of events.
 *
 * <p>The gateway judges each event against its own clock when the request arrives and refuses the
 * request with a 400 if any event is outside; the ETL judges each record against the record's
 * Kafka timestamp (set by the gateway's producer when it sent the record, so a replay days later
 * gives the same answer) and sends what is outside to the dead letters. Both read the same
 * configuration keys, {@code iot.events.max-event-age} and {@code iot.events.max-future-skew}
 * (common-model's {@code reference.conf}).
 *
 * @param maxEventAge   how far before the reference a timestamp may lie (at least one minute)
 * @param maxFutureSkew how far after the reference a timestamp may lie (device clock skew)
 */
public record EventHorizon(Duration maxEventAge, Duration maxFutureSkew) implements java.io.Serializable {

    /** Seven days: a device may buffer a week of readings while offline and still upload them. */
    public static final Duration DEFAULT_MAX_EVENT_AGE = Duration.ofDays(7);
    /** Five minutes of clock skew against the receiver's clock. */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(5);

    /** No limit in either direction (any non-negative timestamp is inside). */
    public static final EventHorizon UNBOUNDED = new EventHorizon(Duration.ofMillis(Long.MAX_VALUE),
            Duration.ofMillis(Long.MAX_VALUE));

    public EventHorizon {
        Objects.requireNonNull(maxEventAge, "maxEventAge is null");
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew is null");
        if (maxEventAge.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("max-event-age must be at least 1 minute, got " + maxEventAge);
        }
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("max-future-skew must not be negative, got " + maxFutureSkew);
        }
    }

    public static EventHorizon defaults() {
        return new EventHorizon(DEFAULT_MAX_EVENT_AGE, DEFAULT_MAX_FUTURE_SKEW);
    }

    /** The same horizon, {@code extra} more lenient on the old side. */
    public EventHorizon olderBy(Duration extra) {
        long age = maxEventAge.toMillis();
        long more = extra.toMillis();
        return new EventHorizon(Duration.ofMillis(age > Long.MAX_VALUE - more ? Long.MAX_VALUE : age + more),
                maxFutureSkew);
    }

    /** The oldest timestamp inside the horizon of {@code referenceMs}. */
    public long earliest(long referenceMs) {
        long age = maxEventAge.toMillis();
        return referenceMs < Long.MIN_VALUE + age ? Long.MIN_VALUE : referenceMs - age;
    }

    /** The newest timestamp inside the horizon of {@code referenceMs}. */
    public long latest(long referenceMs) {
        long skew = maxFutureSkew.toMillis();
        return referenceMs > Long.MAX_VALUE - skew ? Long.MAX_VALUE : referenceMs + skew;
    }

    /**
     * Why {@code timestampMs} is outside the horizon of {@code referenceMs}, or empty when it is inside.
     *
     * @param referenceName what the reference is, for the message ("the gateway's clock")
     */
    public Optional<String> violation(long timestampMs, long referenceMs, String referenceName) {
        if (timestampMs < earliest(referenceMs)) {
            return Optional.of(String.format(Locale.ROOT,
                    "is %d ms older than %s; at most %d ms (max-event-age %s) is accepted",
                    referenceMs - timestampMs, referenceName, maxEventAge.toMillis(), maxEventAge));
        }
        if (timestampMs > latest(referenceMs)) {
            return Optional.of(String.format(Locale.ROOT,
                    "is %d ms ahead of %s; at most %d ms (max-future-skew %s) of clock skew is accepted",
                    timestampMs - referenceMs, referenceName, maxFutureSkew.toMillis(), maxFutureSkew));
        }
        return Optional.empty();
    }
}
