package org.iotpipeline.etl.idle;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decides when a heartbeat is due and which event time it carries (see {@link Heartbeats}).
 *
 * <p>A heartbeat is due when all of these hold:
 * <ol>
 *   <li>an event was ever seen, and the window holding the newest one is still open (the
 *       watermark is before its end);</li>
 *   <li>no events-topic record arrived for {@code idleTimeout}: heartbeats only ever fire into
 *       silence, so a backfill or any steady stream is never overtaken by one;</li>
 *   <li>no heartbeat was sent during the last {@code idleTimeout} (one needs a batch or two to
 *       show in the watermark; sending it again is harmless);</li>
 *   <li>it would move the watermark forward.</li>
 * </ol>
 *
 * <p>Its event time is {@code min(end of the newest event's window + lateness, now)}. The first
 * term closes every open window and nothing beyond: afterwards the watermark is exactly that
 * window's end. The second keeps event time from running ahead of the clock: when live devices
 * pause, the watermark follows the clock ({@code now - lateness}), so their window closes when it
 * would have with traffic (at its end + lateness) and their next events, stamped about "now", are
 * still on time. A backfill's event times lie in the past, so for it the first term wins.
 */
public record HeartbeatPolicy(Duration window, Duration lateness, Duration idleTimeout) {

    /**
     * @param lastInputAt     when an events-topic record was last read
     * @param watermark       the current watermark, empty before the first
     * @param maxEventTimeMs  newest valid event time seen
     * @param lastHeartbeatAt when a heartbeat was last sent, null if never
     * @return the heartbeat's event time (epoch ms) if one is due now
     */
    public OptionalLong due(Instant now, Instant lastInputAt, Optional<Instant> watermark, OptionalLong maxEventTimeMs,
                            Instant lastHeartbeatAt) {
        if (maxEventTimeMs.isEmpty()) {
            return OptionalLong.empty();
        }
        long watermarkMs = watermark.map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
        long openWindowEnd = Heartbeats.windowEnd(maxEventTimeMs.getAsLong(), window);
        if (watermarkMs >= openWindowEnd) {
            return OptionalLong.empty();
        }
        if (Duration.between(lastInputAt, now).compareTo(idleTimeout) < 0) {
            return OptionalLong.empty();
        }
        if (lastHeartbeatAt != null && Duration.between(lastHeartbeatAt, now).compareTo(idleTimeout) < 0) {
            return OptionalLong.empty();
        }
        long eventTime = Math.min(openWindowEnd + lateness.toMillis(), now.toEpochMilli());
        if (eventTime - lateness.toMillis() <= watermarkMs) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(eventTime);
    }

    /** How often {@link IdleHeartbeat} checks: a fifth of the idle timeout, at least 200 ms. */
    public Duration checkInterval() {
        Duration fifth = idleTimeout.dividedBy(5);
        return fifth.compareTo(Duration.ofMillis(200)) < 0 ? Duration.ofMillis(200) : fifth;
    }
}
