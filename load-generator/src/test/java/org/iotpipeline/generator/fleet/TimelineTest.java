package org.iotpipeline.generator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimelineTest {

    private static final long NOW = 1_764_000_123_456L;

    @Test
    void liveTicksAreAlignedToTheIntervalAndDueOneIntervalApart() {
        Timeline live = Timeline.live(Duration.ofSeconds(1), NOW);
        assertThat(live.eventTime(0)).isEqualTo(1_764_000_123_000L);
        assertThat(live.eventTime(5)).isEqualTo(1_764_000_128_000L);
        assertThat(live.emitAt(0)).isEqualTo(NOW);
        assertThat(live.emitAt(5)).isEqualTo(NOW + 5000);
        assertThat(live.endsBefore(1_000_000, Long.MAX_VALUE)).isFalse();
    }

    @Test
    void noTickIsEverDueBeforeItsEventTime() {
        Timeline[] timelines = {
                Timeline.live(Duration.ofMillis(250), NOW),
                Timeline.backfill(Instant.ofEpochMilli(NOW - 3_600_000), Duration.ofSeconds(1), Double.POSITIVE_INFINITY, NOW, false),
                Timeline.backfill(Instant.ofEpochMilli(NOW - 3_600_000), Duration.ofSeconds(1), 60, NOW, false),
                Timeline.backfill(Instant.ofEpochMilli(NOW - 1000), Duration.ofMillis(7), 0.5, NOW, false),
        };
        for (Timeline timeline : timelines) {
            for (long tick = 0; tick < 20_000; tick += 13) {
                assertThat(timeline.emitAt(tick)).isGreaterThanOrEqualTo(timeline.eventTime(tick));
            }
        }
    }

    @Test
    void aSpeedFactorCompressesTimeUntilItMeetsThePresent() {
        Timeline hourPerMinute = Timeline.backfill(Instant.ofEpochMilli(NOW - 3_600_000), Duration.ofSeconds(1), 60, NOW, true);
        assertThat(hourPerMinute.emitAt(0)).isEqualTo(NOW);
        assertThat(hourPerMinute.emitAt(60)).isEqualTo(NOW + 1000);
        assertThat(hourPerMinute.emitAt(1800)).isEqualTo(NOW + 30_000);
        // Far beyond the catch-up point (about 61 s of wall time) ticks wait for their event time.
        assertThat(hourPerMinute.emitAt(7200)).isEqualTo(hourPerMinute.eventTime(7200));
    }

    @Test
    void maxSpeedReleasesEveryPastTickAtOnce() {
        Timeline max = Timeline.backfill(Instant.ofEpochMilli(NOW - 86_400_000), Duration.ofSeconds(10), Double.POSITIVE_INFINITY, NOW, true);
        assertThat(max.emitAt(8639)).isLessThanOrEqualTo(NOW);
        assertThat(max.endsBefore(8640, NOW)).isFalse();
        assertThat(max.endsBefore(8641, NOW)).isTrue();
    }

    @Test
    void aBackfillThatContinuesLiveNeverEnds() {
        Timeline max = Timeline.backfill(Instant.ofEpochMilli(NOW - 10_000), Duration.ofSeconds(1), Double.POSITIVE_INFINITY, NOW, false);
        assertThat(max.endsBefore(1_000_000, NOW)).isFalse();
    }
}
