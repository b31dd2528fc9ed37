package org.iotpipeline.model;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules that depend on the receiving service rather than on the event alone.
 *
 * @param horizon how old and how far ahead of the clock a timestamp may be ({@link EventHorizon})
 * @param clock   what "now" is
 */
public record ValidationPolicy(EventHorizon horizon, Clock clock) {

    /** Names the reference clock in every horizon violation. */
    static final String REFERENCE = "the receiver's clock";

    public ValidationPolicy {
        Objects.requireNonNull(horizon, "horizon is null");
        Objects.requireNonNull(clock, "clock is null");
    }

    /** Seven days back, five minutes ahead, the system clock. */
    public static ValidationPolicy defaults() {
        return new ValidationPolicy(EventHorizon.defaults(), Clock.systemUTC());
    }

    /** No horizon at all: every timestamp in 0..2^63-1 passes (the ETL applies its own check). */
    public static ValidationPolicy withoutHorizon() {
        return new ValidationPolicy(EventHorizon.UNBOUNDED, Clock.systemUTC());
    }

    /** Why the timestamp is outside the horizon of now, or empty. */
    Optional<String> horizonViolation(long timestampMs) {
        return horizon.violation(timestampMs, clock.millis(), REFERENCE);
    }
}
