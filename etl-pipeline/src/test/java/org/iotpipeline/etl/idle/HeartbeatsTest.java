package org.iotpipeline.etl.idle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeartbeatsTest {

    @Test
    void windowEndIsTheExclusiveEndOfTheEpochAlignedWindowLikeSparksWindowFunction() {
        Duration five = Duration.ofMinutes(5);
        assertThat(Heartbeats.windowEnd(ms("2025-11-24T10:55:00Z"), five)).isEqualTo(ms("2025-11-24T11:00:00Z"));
        assertThat(Heartbeats.windowEnd(ms("2025-11-24T10:59:59.999Z"), five)).isEqualTo(ms("2025-11-24T11:00:00Z"));
        assertThat(Heartbeats.windowEnd(ms("2025-11-24T11:00:00Z"), five)).isEqualTo(ms("2025-11-24T11:05:00Z"));
    }

    @Test
    void theValueIsTheEventTimeInDecimalAscii() {
        assertThat(new String(Heartbeats.encode(1764000660000L), StandardCharsets.US_ASCII)).isEqualTo("1764000660000");
        assertThat(Heartbeats.decode(Heartbeats.encode(1764000660000L))).isEqualTo(1764000660000L);
        assertThatThrownBy(() -> Heartbeats.decode("soon".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Heartbeats.decode(null)).isInstanceOf(NumberFormatException.class);
    }

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
