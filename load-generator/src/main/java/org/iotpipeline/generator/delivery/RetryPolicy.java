package org.iotpipeline.generator.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * How often and how patiently a request is retried: exponential backoff with jitter, and never
 * sooner than a server's {@code Retry-After}.
 *
 * @param maxAttempts    attempts per request in total, at least 1 (1 = no retry)
 * @param initialBackoff wait before the first retry, before jitter
 * @param maxBackoff     cap on the exponential backoff, before jitter
 * @param jitter         fraction in [0, 1]: each wait is spread uniformly over +/- this share, so
 *                       clients that failed together do not retry together
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoffs must satisfy 0 <= initial <= max, got "
                    + initialBackoff + " and " + maxBackoff);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1], got " + jitter);
        }
    }

    /** Whether another attempt is allowed after {@code attemptsMade} attempts failed. */
    public boolean allowsAnotherAttempt(int attemptsMade) {
        return attemptsMade < maxAttempts;
    }

    /**
     * The wait before the next attempt, after {@code attemptsMade} (at least 1) failed ones.
     *
     * @param retryAfter what the server asked for, if anything; honoured as a lower bound
     * @param uniform    a random number in [0, 1) for the jitter
     */
    public Duration backoff(int attemptsMade, Optional<Duration> retryAfter, double uniform) {
        int doublings = Math.min(Math.max(attemptsMade - 1, 0), 30);
        long base = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << doublings);
        long jittered = Math.round(base * (1 + jitter * (2 * uniform - 1)));
        long wait = Math.max(jittered, retryAfter.map(Duration::toMillis).orElse(0L));
        return Duration.ofMillis(wait);
    }
}
