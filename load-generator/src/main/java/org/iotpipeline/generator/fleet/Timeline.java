package org.iotpipeline.generator.fleet;

import java.time.Duration;
import java.time.Instant;

/**
 * When each tick happens: tick {@code k} carries event time {@code start + k * interval} and may be
 * sent no earlier than {@link #emitAt(long)}.
 *
 * <p>Live mode is a timeline that starts now at speed 1; backfill starts in the past at a higher
 * speed (or unbounded) and meets the live pace once it catches up with the clock. Guarantee: a
 * tick is never due before its own event time, so no event carries a timestamp in the future.
 *
 * @param start          event time of tick 0, epoch ms
 * @param intervalMillis event time between ticks, positive
 * @param speed          simulated time per unit of wall time, positive; infinite = as fast as possible
 * @param wallStart      wall-clock time at which tick 0 is due, epoch ms
 * @param stopAtPresent  whether the run ends at the first tick whose event time is still in the future
 */
public record Timeline(long start, long intervalMillis, double speed, long wallStart, boolean stopAtPresent) {

    public Timeline {
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("interval must be at least 1 ms, got " + intervalMillis);
        }
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be positive, got " + speed);
        }
    }

    /** Live mode: event time is the wall clock, ticks aligned to multiples of the interval. */
    public static Timeline live(Duration interval, long now) {
        long intervalMillis = interval.toMillis();
        return new Timeline(Math.floorDiv(now, intervalMillis) * intervalMillis, intervalMillis, 1.0, now, false);
    }

    /** Backfill from {@code start} (in the past) at {@code speed} times real time. */
    public static Timeline backfill(Instant start, Duration interval, double speed, long now, boolean stopAtPresent) {
        return new Timeline(start.toEpochMilli(), interval.toMillis(), speed, now, stopAtPresent);
    }

    /** Event time of tick {@code tick}. */
    public long eventTime(long tick) {
        return start + tick * intervalMillis;
    }

    /** Earliest wall-clock time tick {@code tick} may be sent: not before its event time, nor its place at this speed. */
    public long emitAt(long tick) {
        long eventTime = eventTime(tick);
        if (Double.isInfinite(speed)) {
            return eventTime;
        }
        long paced = wallStart + (long) Math.ceil((eventTime - start) / speed);
        return Math.max(eventTime, paced);
    }

    /** Whether the run ends before tick {@code tick}, seen at wall-clock time {@code now}. */
    public boolean endsBefore(long tick, long now) {
        return stopAtPresent && eventTime(tick) > now;
    }
}
