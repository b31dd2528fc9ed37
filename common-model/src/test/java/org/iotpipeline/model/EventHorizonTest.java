package org.iotpipeline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventHorizonTest {

    private static final long NOW = 1_764_000_000_000L;
    private final EventHorizon horizon = new EventHorizon(Duration.ofDays(7), Duration.ofMinutes(5));

    @Test
    void theEdgesAreInsideAndOneMillisecondBeyondIsOutside() {
        long weekMs = 604_800_000L;
        assertThat(horizon.violation(NOW - weekMs, NOW, "x")).isEmpty();
        assertThat(horizon.violation(NOW + 300_000, NOW, "x")).isEmpty();
        assertThat(horizon.violation(NOW - weekMs - 1, NOW, "the clock")).hasValue(
                "is 604800001 ms older than the clock; at most 604800000 ms (max-event-age PT168H) is accepted");
        assertThat(horizon.violation(NOW + 300_001, NOW, "the clock")).hasValue(
                "is 300001 ms ahead of the clock; at most 300000 ms (max-future-skew PT5M) of clock skew is accepted");
    }

    @Test
    void arithmeticSaturatesInsteadOfOverflowing() {
        assertThat(EventHorizon.UNBOUNDED.violation(0, NOW, "x")).isEmpty();
        assertThat(EventHorizon.UNBOUNDED.violation(Long.MAX_VALUE, NOW, "x")).isEmpty();
        assertThat(horizon.latest(Long.MAX_VALUE - 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(horizon.earliest(Long.MIN_VALUE + 1)).isEqualTo(Long.MIN_VALUE);
        assertThat(EventHorizon.UNBOUNDED.olderBy(Duration.ofMinutes(1)).maxEventAge())
                .isEqualTo(Duration.ofMillis(Long.MAX_VALUE));
    }

    @Test
    void olderByWidensOnlyTheOldSide() {
        EventHorizon lenient = horizon.olderBy(Duration.ofMinutes(1));
        assertThat(lenient).isEqualTo(new EventHorizon(Duration.ofDays(7).plusMinutes(1), Duration.ofMinutes(5)));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new EventHorizon(Duration.ofSeconds(59), Duration.ZERO))
                .hasMessage("max-event-age must be at least 1 minute, got PT59S");
        assertThatThrownBy(() -> new EventHorizon(Duration.ofDays(1), Duration.ofSeconds(-1)))
                .hasMessage("max-future-skew must not be negative, got PT-1S");
    }
}
