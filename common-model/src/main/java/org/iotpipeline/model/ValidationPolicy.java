package org.iotpipeline.model;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The rules that depend on the receiving service rather than on the event alone.
 *
 * @param maxFutureSkew how far past "now" a timestamp may lie; device clocks drift, but an event
 *                      from next year would poison event-time windows and watermarks
 * @param clock         what "now" is
 */
public record ValidationPolicy(Duration maxFutureSkew, Clock clock) {

    /** Five minutes of allowed clock skew against the system clock. */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(5);

    public ValidationPolicy {
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        Objects.requireNonNull(clock, "clock");
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("maxFutureSkew must not be negative, got " + maxFutureSkew);
        }
    }

    public static ValidationPolicy defaults() {
        return new ValidationPolicy(DEFAULT_MAX_FUTURE_SKEW, Clock.systemUTC());
    }

    /** The latest timestamp accepted at this moment. */
    long latestAcceptedTimestamp() {
        long now = clock.millis();
        long skew = maxFutureSkew.toMillis();
        return now > Long.MAX_VALUE - skew ? Long.MAX_VALUE : now + skew;
    }
}
