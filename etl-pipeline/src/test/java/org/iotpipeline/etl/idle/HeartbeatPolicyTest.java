package org.iotpipeline.etl.idle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HeartbeatPolicyTest {

    private static final Duration IDLE = Duration.ofSeconds(30);
    private final HeartbeatPolicy policy = new HeartbeatPolicy(Duration.ofMinutes(5), Duration.ofMinutes(1), IDLE);

    /** A backfill of last week's data that stopped at 10:57:12; its window [10:55, 11:00) is open. */
    private static final long BACKFILL_MAX = ms("2025-11-24T10:57:12Z");
    private static final Optional<Instant> BACKFILL_WATERMARK = Optional.of(Instant.parse("2025-11-24T10:56:12Z"));
    private static final Instant NOW = Instant.parse("2025-12-01T08:00:00Z");

    @Test
    void afterABackfillGoesQuietTheHeartbeatClosesExactlyTheOpenWindow() {
        OptionalLong due = policy.due(NOW, NOW.minus(IDLE), BACKFILL_WATERMARK, OptionalLong.of(BACKFILL_MAX), null);

        // watermark = heartbeat - lateness = 11:00, the window's end: it closes, events after it stay on time.
        assertThat(due).hasValue(ms("2025-11-24T11:01:00Z"));
    }

    @Test
    void neverWhileRecordsKeepArriving() {
        Instant lastInput = NOW.minus(IDLE).plusMillis(1);

        assertThat(policy.due(NOW, lastInput, BACKFILL_WATERMARK, OptionalLong.of(BACKFILL_MAX), null)).isEmpty();
    }

    @Test
    void neverBeforeTheFirstEventNorOnceTheNewestWindowIsClosed() {
        assertThat(policy.due(NOW, NOW.minus(IDLE), Optional.empty(), OptionalLong.empty(), null)).isEmpty();
        assertThat(policy.due(NOW, NOW.minus(IDLE), Optional.of(Instant.parse("2025-11-24T11:00:00Z")),
                OptionalLong.of(BACKFILL_MAX), null)).isEmpty();
    }

    @Test
    void repeatsAtMostOncePerIdleTimeoutWhileTheWatermarkHasNotMoved() {
        Instant sent = NOW.minusSeconds(29);
        assertThat(policy.due(NOW, NOW.minusSeconds(120), BACKFILL_WATERMARK, OptionalLong.of(BACKFILL_MAX), sent))
                .isEmpty();
        assertThat(policy.due(NOW.plusSeconds(1), NOW.minusSeconds(120), BACKFILL_WATERMARK,
                OptionalLong.of(BACKFILL_MAX), sent)).hasValue(ms("2025-11-24T11:01:00Z"));
    }

    @Test
    void forLiveDevicesThatPauseEventTimeFollowsTheClockAndNeverRunsAheadOfIt() {
        Instant now = Instant.parse("2025-11-24T10:57:42Z");
        long max = ms("2025-11-24T10:57:12Z");
        Optional<Instant> watermark = Optional.of(Instant.parse("2025-11-24T10:56:12Z"));

        OptionalLong due = policy.due(now, now.minus(IDLE), watermark, OptionalLong.of(max), null);

        // watermark -> 10:56:42 (now - lateness): devices resuming at "now" are on time; the window
        // [10:55, 11:00) closes when the clock passes 11:01, as it would have with traffic.
        assertThat(due).hasValue(now.toEpochMilli());
        Instant later = Instant.parse("2025-11-24T11:01:30Z");
        assertThat(policy.due(later, now.minus(IDLE), Optional.of(Instant.parse("2025-11-24T10:56:42Z")),
                OptionalLong.of(max), now)).hasValue(ms("2025-11-24T11:01:00Z"));
    }

    @Test
    void notWhenDeviceClocksAreAheadOfOursAndItWouldNotMoveTheWatermark() {
        Instant now = Instant.parse("2025-11-24T10:57:00Z");
        long max = ms("2025-11-24T10:59:00Z"); // a device clock two minutes ahead

        assertThat(policy.due(now, now.minus(IDLE), Optional.of(Instant.parse("2025-11-24T10:58:00Z")),
                OptionalLong.of(max), null)).isEmpty();
    }

    @Test
    void checksAFifthOfTheIdleTimeoutButNotMoreOftenThanEvery200Ms() {
        assertThat(policy.checkInterval()).isEqualTo(Duration.ofSeconds(6));
        assertThat(new HeartbeatPolicy(Duration.ofMinutes(5), Duration.ZERO, Duration.ofMillis(500)).checkInterval())
                .isEqualTo(Duration.ofMillis(200));
    }

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
