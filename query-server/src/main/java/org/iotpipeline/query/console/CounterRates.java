package org.iotpipeline.query.console;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Per-second rates of monotonic counters from successive readings: the change since the previous
 * reading of the same counter divided by the time between them. No rate on the first reading, after
 * a gap (the counter could not be read), or when the counter went down (the service restarted and
 * counts from 0 again). Not thread-safe: one reader at a time ({@link PipelineMonitor}).
 */
public final class CounterRates {

    private record Reading(Instant at, double value) {
    }

    private final Map<String, Reading> previous = new HashMap<>();

    /**
     * Records {@code value} of counter {@code key} read at {@code at}; empty {@code value} forgets the
     * counter. Returns the rate since the previous reading, if there is one.
     */
    public OptionalDouble update(String key, Instant at, OptionalDouble value) {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(at, "at is null");
        if (value.isEmpty() || !Double.isFinite(value.getAsDouble())) {
            previous.remove(key);
            return OptionalDouble.empty();
        }
        Reading now = new Reading(at, value.getAsDouble());
        Reading before = previous.put(key, now);
        if (before == null || now.value() < before.value()) {
            return OptionalDouble.empty();
        }
        double seconds = Duration.between(before.at(), now.at()).toNanos() / 1e9;
        if (seconds <= 0) {
            previous.put(key, before);
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((now.value() - before.value()) / seconds);
    }

    /** Forgets every counter whose key starts with {@code prefix} (its service could not be read). */
    public void forget(String prefix) {
        previous.keySet().removeIf(key -> key.startsWith(prefix));
    }
}
