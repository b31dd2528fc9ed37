package org.iotpipeline.etl.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.iotpipeline.model.EventHorizon;
import org.iotpipeline.model.ValidationPolicy;
import org.iotpipeline.model.InvalidEventsException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KafkaEventDecoderTest {

    private static final long KAFKA_MS = 1_764_000_000_000L;
    private final KafkaEventDecoder decoder = new KafkaEventDecoder(EventHorizon.UNBOUNDED);
    private final EventCodec gatewayCodec = new EventCodec(ValidationPolicy.withoutHorizon());

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
        KafkaEventDecoder.Decoded decoded = decoder.decode(value, KAFKA_MS);
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
    void theHorizonIsJudgedAgainstTheKafkaTimestampWithAMinuteOfTransitAllowance() {
        KafkaEventDecoder weekDecoder = new KafkaEventDecoder(new EventHorizon(Duration.ofDays(7), Duration.ofMinutes(5)));
        long week = Duration.ofDays(7).toMillis();
        long minute = 60_000;

        assertThat(weekDecoder.decode(event(KAFKA_MS - week - minute), KAFKA_MS).event())
                .isEqualTo(new Event(1, 2, KAFKA_MS - week - minute, 3));
        assertThat(weekDecoder.decode(event(KAFKA_MS + 5 * minute), KAFKA_MS).isValid()).isTrue();
        assertThat(weekDecoder.decode(event(KAFKA_MS - week - minute - 1), KAFKA_MS).reason()).isEqualTo(
                "field 'timestamp': is 604860001 ms older than the record's Kafka timestamp; at most 604860000 ms"
                        + " (max-event-age PT168H1M) is accepted");
        assertThat(weekDecoder.decode(event(KAFKA_MS + 5 * minute + 1), KAFKA_MS).reason()).isEqualTo(
                "field 'timestamp': is 300001 ms ahead of the record's Kafka timestamp; at most 300000 ms"
                        + " (max-future-skew PT5M) of clock skew is accepted");
        // Judged against the record, not the clock: a replay years later gives the same answer.
        assertThat(weekDecoder.decode(event(KAFKA_MS), KAFKA_MS).isValid()).isTrue();
    }

    private static byte[] event(long timestamp) {
        return ("{\"deviceId\":1,\"metricId\":2,\"timestamp\":" + timestamp + ",\"value\":3}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aTombstoneIsInvalidWithAReason() {
        KafkaEventDecoder.Decoded decoded = decoder.decode(null, KAFKA_MS);

        assertThat(decoded.isValid()).isFalse();
        assertThat(decoded.reason()).contains("no value");
    }
}
