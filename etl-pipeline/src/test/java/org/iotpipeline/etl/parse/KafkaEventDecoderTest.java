package org.iotpipeline.etl.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventHorizon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the ETL makes of a Kafka record value: the expected events and reasons are written out
 * here (the rules and messages of common-model's README), not computed with the codec the
 * decoder wraps.
 */
class KafkaEventDecoderTest {

    private static final long KAFKA_MS = 1_764_000_000_000L;
    /** Without a horizon, so the field rules can be tested with any timestamp. */
    private final KafkaEventDecoder decoder = new KafkaEventDecoder(EventHorizon.UNBOUNDED);

    static Stream<Arguments> validRecords() {
        return Stream.of(
                Arguments.of("{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000,\"value\":21.5}",
                        new Event(17, 3, 1_764_000_000_000L, 21.5)),
                Arguments.of("{\"value\":-0.0,\"timestamp\":0,\"metricId\":0,\"deviceId\":2147483647,\"extra\":{\"a\":[1]}}",
                        new Event(2_147_483_647, 0, 0, -0.0)),
                Arguments.of(" {\"deviceId\" : 1, \"metricId\" : 2, \"timestamp\" : 9223372036854775807, \"value\" : -1.25E2}\n",
                        new Event(1, 2, Long.MAX_VALUE, -125.0)),
                Arguments.of("{\"deviceId\":5,\"metricId\":6,\"timestamp\":7,\"value\":8}", new Event(5, 6, 7, 8.0)));
    }

    @ParameterizedTest
    @MethodSource("validRecords")
    void decodesAValidRecordIntoItsEvent(String json, Event expected) {
        KafkaEventDecoder.Decoded decoded = decode(json);

        assertThat(decoded.isValid()).isTrue();
        assertThat(decoded.event()).isEqualTo(expected);
        assertThat(decoded.reason()).isNull();
    }

    static Stream<Arguments> invalidRecords() {
        String ids = "must be a JSON integer in 0..2147483647";
        return Stream.of(
                Arguments.of("{\"deviceId\":\"17\",\"metricId\":3,\"timestamp\":1764000000000,\"value\":1}",
                        "field 'deviceId': " + ids + ", got a string (strings are not converted to numbers)"),
                Arguments.of("{\"deviceId\":17,\"metricId\":3.5,\"timestamp\":1764000000000,\"value\":1}",
                        "field 'metricId': " + ids + ", got the fraction 3.5"),
                Arguments.of("{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000.0,\"value\":1}",
                        "field 'timestamp': must be a JSON integer (epoch milliseconds UTC), got the fraction 1764000000000.0"),
                Arguments.of("{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000,\"value\":NaN}",
                        "field 'value': must be a finite number, got NaN"),
                Arguments.of("{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000,\"value\":\"21.5\"}",
                        "field 'value': must be a JSON number, got a string (strings are not converted to numbers)"),
                Arguments.of("{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000,\"value\":1e400}",
                        "field 'value': must be a finite number; 1e400 is out of the range of a 64-bit double"),
                Arguments.of("{\"deviceId\":2147483648,\"metricId\":3,\"timestamp\":1764000000000,\"value\":1}",
                        "field 'deviceId': must be in 0..2147483647, got 2147483648"),
                Arguments.of("{\"deviceId\":-1,\"metricId\":3,\"timestamp\":1764000000000,\"value\":1}",
                        "field 'deviceId': must be in 0..2147483647, got -1"),
                Arguments.of("{\"deviceId\":17,\"metricId\":3,\"timestamp\":-5,\"value\":1}",
                        "field 'timestamp': must be epoch milliseconds in 0..9223372036854775807, got -5"),
                Arguments.of("{\"deviceId\":17,\"metricId\":3,\"timestamp\":99999999999999999999,\"value\":1}",
                        "field 'timestamp': must be epoch milliseconds in 0..9223372036854775807, got 99999999999999999999"),
                Arguments.of("{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000}",
                        "field 'value': is required"),
                Arguments.of("{}",
                        "field 'deviceId': is required; field 'metricId': is required; field 'timestamp': is required; "
                                + "field 'value': is required"),
                Arguments.of("{\"deviceId\":true,\"metricId\":null,\"timestamp\":1764000000000,\"value\":1}",
                        "field 'deviceId': " + ids + ", got a boolean; field 'metricId': " + ids + ", got null"),
                Arguments.of("{\"deviceId\":17,\"deviceId\":18,\"metricId\":3,\"timestamp\":1764000000000,\"value\":1}",
                        "field 'deviceId': appears more than once"),
                Arguments.of("[{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000,\"value\":1}]",
                        "must be a JSON object, got ["),
                Arguments.of("{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000,\"value\":1} {}",
                        "unexpected content after the JSON object at line 1 column 67"),
                Arguments.of("", "must be a JSON object, got nothing"),
                Arguments.of("null", "must be a JSON object, got null"));
    }

    @ParameterizedTest
    @MethodSource("invalidRecords")
    void rejectsAnInvalidRecordNamingEachFieldAndReason(String json, String expectedReason) {
        KafkaEventDecoder.Decoded decoded = decode(json);

        assertThat(decoded.isValid()).isFalse();
        assertThat(decoded.event()).isNull();
        assertThat(decoded.reason()).isEqualTo(expectedReason);
    }

    @Test
    void malformedJsonIsRejectedWithItsPosition() {
        KafkaEventDecoder.Decoded decoded = decode("{\"deviceId\":17");

        assertThat(decoded.isValid()).isFalse();
        // The rest of the reason is the JSON parser's own text.
        assertThat(decoded.reason()).startsWith("malformed JSON at line 1 column 15: ");
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
        KafkaEventDecoder.Decoded decoded = decode((byte[]) null);

        assertThat(decoded.isValid()).isFalse();
        assertThat(decoded.event()).isNull();
        assertThat(decoded.reason()).isEqualTo("the record has no value (null); expected one event JSON object");
    }

    private KafkaEventDecoder.Decoded decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The one call of the decoder: the only place to change when decode takes more of the record. */
    private KafkaEventDecoder.Decoded decode(byte[] value) {
        return decoder.decode(value, KAFKA_MS);
    }
}
