package org.iotpipeline.etl.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.iotpipeline.model.InvalidEventsException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KafkaEventDecoderTest {

    private final KafkaEventDecoder decoder = new KafkaEventDecoder();
    private final EventCodec gatewayCodec = EventCodec.withDefaults();

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000,\"value\":21.5}",
            "{\"value\":-0.0,\"timestamp\":0,\"metricId\":0,\"deviceId\":2147483647,\"extra\":{\"a\":[1]}}",
            "{\"deviceId\":\"17\",\"metricId\":3,\"timestamp\":1764000000000,\"value\":1}",
            "{\"deviceId\":17,\"metricId\":3.5,\"timestamp\":1764000000000,\"value\":1}",
            "{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000.0,\"value\":1}",
            "{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000,\"value\":NaN}",
            "{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000,\"value\":\"21.5\"}",
            "{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000,\"value\":1e400}",
            "{\"deviceId\":2147483648,\"metricId\":3,\"timestamp\":1764000000000,\"value\":1}",
            "{\"deviceId\":-1,\"metricId\":3,\"timestamp\":1764000000000,\"value\":1}",
            "{\"deviceId\":17,\"metricId\":3,\"timestamp\":-5,\"value\":1}",
            "{\"deviceId\":17,\"metricId\":3,\"timestamp\":99999999999999999999,\"value\":1}",
            "{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000}",
            "{\"deviceId\":17,\"deviceId\":18,\"metricId\":3,\"timestamp\":1764000000000,\"value\":1}",
            "[{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000,\"value\":1}]",
            "{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000,\"value\":1} {}",
            "{\"deviceId\":17",
            "",
            "null"})
    void acceptsAndRejectsExactlyLikeTheGatewaysCodecWithTheSameReasons(String json) {
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        KafkaEventDecoder.Decoded decoded = decoder.decode(value);
        try {
            Event event = gatewayCodec.decodeOne(value);
            assertThat(decoded.isValid()).isTrue();
            assertThat(decoded.event()).isEqualTo(event);
            assertThat(decoded.reason()).isNull();
        } catch (InvalidEventsException e) {
            assertThat(decoded.isValid()).isFalse();
            assertThat(decoded.event()).isNull();
            for (var violation : e.violations()) {
                assertThat(decoded.reason()).contains(violation.reason());
                if (violation.field() != null) {
                    assertThat(decoded.reason()).contains("field '" + violation.field() + "': " + violation.reason());
                }
            }
        }
    }

    @Test
    void acceptsTimestampsFarAheadOfTheClockBecauseTheGatewayAlreadyJudgedThem() {
        long nextYear = Instant.now().plus(Duration.ofDays(365)).toEpochMilli();
        byte[] value = ("{\"deviceId\":1,\"metricId\":2,\"timestamp\":" + nextYear + ",\"value\":3}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(decoder.decode(value).event()).isEqualTo(new Event(1, 2, nextYear, 3));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> gatewayCodec.decodeOne(value))
                .isInstanceOf(InvalidEventsException.class).hasMessageContaining("in the future");
    }

    @Test
    void aTombstoneIsInvalidWithAReason() {
        KafkaEventDecoder.Decoded decoded = decoder.decode(null);

        assertThat(decoded.isValid()).isFalse();
        assertThat(decoded.reason()).contains("no value");
    }
}
