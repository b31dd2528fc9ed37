package org.iotpipeline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventCodecTest {

    private static final long NOW = 1_764_000_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    /** A horizon reaching back to epoch 0, so the field rules can be tested with small timestamps. */
    private final EventCodec codec = new EventCodec(
            new ValidationPolicy(new EventHorizon(Duration.ofMillis(NOW), Duration.ofMinutes(5)), CLOCK));
    /** The default horizon: 7 days back, 5 minutes ahead. */
    private final EventCodec weekCodec = new EventCodec(new ValidationPolicy(EventHorizon.defaults(), CLOCK));

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<Violation> violationsOf(String body, BodyFormat format) {
        InvalidEventsException e = catchThrowableOfType(InvalidEventsException.class,
                () -> codec.decode(utf8(body), format));
        assertThat(e).as("expected %s to be rejected", body).isNotNull();
        return e.violations();
    }

    private Violation onlyViolationOf(String body) {
        List<Violation> violations = violationsOf(body, BodyFormat.JSON);
        assertThat(violations).hasSize(1);
        return violations.get(0);
    }

    @Nested
    class SingleEvent {

        @Test
        void readsTheDesignExample() throws Exception {
            List<Event> events = codec.decode(
                    utf8("{\"deviceId\": 17, \"metricId\": 3, \"timestamp\": 1764000000000, \"value\": 21.5}"),
                    BodyFormat.JSON);
            assertThat(events).containsExactly(new Event(17, 3, 1_764_000_000_000L, 21.5));
        }

        @Test
        void acceptsAnIntegerValueAndTheRangeLimits() throws Exception {
            List<Event> events = codec.decode(
                    utf8("{\"deviceId\":0,\"metricId\":2147483647,\"timestamp\":0,\"value\":-4}"), BodyFormat.JSON);
            assertThat(events).containsExactly(new Event(0, Integer.MAX_VALUE, 0, -4.0));
        }

        @Test
        void ignoresUnknownFieldsOfAnyShape() throws Exception {
            List<Event> events = codec.decode(utf8("{\"firmware\":{\"v\":[1,2]},\"deviceId\":1,\"metricId\":2,"
                    + "\"note\":\"x\",\"timestamp\":3,\"value\":4.5,\"tags\":[\"a\"]}"), BodyFormat.JSON);
            assertThat(events).containsExactly(new Event(1, 2, 3, 4.5));
        }

        @Test
        void acceptsTimestampsUpToTheAllowedSkew() throws Exception {
            long latest = NOW + Duration.ofMinutes(5).toMillis();
            assertThat(codec.decode(utf8(eventJson("1", "1", Long.toString(latest), "1")), BodyFormat.JSON))
                    .extracting(Event::timestamp).containsExactly(latest);
        }

        @Test
        void theDefaultHorizonAcceptsAWeekBackAndFiveMinutesAhead() throws Exception {
            long weekAgo = NOW - Duration.ofDays(7).toMillis();
            long ahead = NOW + Duration.ofMinutes(5).toMillis();
            assertThat(weekCodec.decode(utf8("[" + eventJson("1", "1", Long.toString(weekAgo), "1") + ","
                    + eventJson("1", "1", Long.toString(ahead), "2") + "]"), BodyFormat.JSON))
                    .extracting(Event::timestamp).containsExactly(weekAgo, ahead);
        }

        @Test
        void theDefaultHorizonRefusesTimestampZeroAndAnythingOlderThanAWeek() {
            long tooOld = NOW - Duration.ofDays(7).toMillis() - 1;
            InvalidEventsException e = catchThrowableOfType(InvalidEventsException.class, () -> weekCodec.decode(
                    utf8("[" + eventJson("1", "1", "0", "1") + "," + eventJson("1", "1", Long.toString(tooOld), "1")
                            + "]"), BodyFormat.JSON));
            assertThat(e.violations()).extracting(Violation::index, Violation::field, Violation::reason).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(0, "timestamp", "is 1764000000000 ms older than the receiver's"
                            + " clock; at most 604800000 ms (max-event-age PT168H) is accepted"),
                    org.assertj.core.groups.Tuple.tuple(1, "timestamp", "is 604800001 ms older than the receiver's"
                            + " clock; at most 604800000 ms (max-event-age PT168H) is accepted"));
        }

        @Test
        void decodeOneReadsAKafkaRecordValue() throws Exception {
            assertThat(codec.decodeOne(utf8(eventJson("5", "6", "7", "8.25")))).isEqualTo(new Event(5, 6, 7, 8.25));
        }

        @Test
        void decodeOneRefusesAnArray() {
            assertThatThrownBy(() -> codec.decodeOne(utf8("[" + eventJson("5", "6", "7", "8") + "]")))
                    .isInstanceOf(InvalidEventsException.class)
                    .hasMessageContaining("must be a JSON object");
        }
    }

    @Nested
    class Rejections {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "missing deviceId   | {\"metricId\":1,\"timestamp\":1,\"value\":1}                       | deviceId  | is required",
            "missing metricId   | {\"deviceId\":1,\"timestamp\":1,\"value\":1}                       | metricId  | is required",
            "missing timestamp  | {\"deviceId\":1,\"metricId\":1,\"value\":1}                        | timestamp | is required",
            "missing value      | {\"deviceId\":1,\"metricId\":1,\"timestamp\":1}                    | value     | is required",
            "string id          | {\"deviceId\":\"17\",\"metricId\":1,\"timestamp\":1,\"value\":1}   | deviceId  | got a string",
            "string value       | {\"deviceId\":1,\"metricId\":1,\"timestamp\":1,\"value\":\"21.5\"} | value     | got a string",
            "string timestamp   | {\"deviceId\":1,\"metricId\":1,\"timestamp\":\"1\",\"value\":1}    | timestamp | got a string",
            "fraction id        | {\"deviceId\":1.5,\"metricId\":1,\"timestamp\":1,\"value\":1}      | deviceId  | got the fraction 1.5",
            "integral float id  | {\"deviceId\":1,\"metricId\":3.0,\"timestamp\":1,\"value\":1}      | metricId  | got the fraction 3.0",
            "fraction timestamp | {\"deviceId\":1,\"metricId\":1,\"timestamp\":1.5,\"value\":1}      | timestamp | got the fraction 1.5",
            "negative id        | {\"deviceId\":-1,\"metricId\":1,\"timestamp\":1,\"value\":1}       | deviceId  | must be in 0..2147483647, got -1",
            "id above 2^31-1    | {\"deviceId\":2147483648,\"metricId\":1,\"timestamp\":1,\"value\":1} | deviceId | must be in 0..2147483647, got 2147483648",
            "huge id            | {\"deviceId\":1,\"metricId\":99999999999999999999999,\"timestamp\":1,\"value\":1} | metricId | must be in 0..2147483647",
            "negative timestamp | {\"deviceId\":1,\"metricId\":1,\"timestamp\":-5,\"value\":1}       | timestamp | got -5",
            "huge timestamp     | {\"deviceId\":1,\"metricId\":1,\"timestamp\":99999999999999999999,\"value\":1} | timestamp | got 99999999999999999999",
            "future timestamp   | {\"deviceId\":1,\"metricId\":1,\"timestamp\":1764000300001,\"value\":1} | timestamp | is 300001 ms ahead of the receiver",
            "NaN                | {\"deviceId\":1,\"metricId\":1,\"timestamp\":1,\"value\":NaN}      | value     | must be a finite number, got NaN",
            "Infinity           | {\"deviceId\":1,\"metricId\":1,\"timestamp\":1,\"value\":Infinity} | value     | must be a finite number",
            "-Infinity          | {\"deviceId\":1,\"metricId\":1,\"timestamp\":1,\"value\":-Infinity} | value    | must be a finite number",
            "overflowing double | {\"deviceId\":1,\"metricId\":1,\"timestamp\":1,\"value\":1e999}    | value     | out of the range of a 64-bit double",
            "null value         | {\"deviceId\":1,\"metricId\":1,\"timestamp\":1,\"value\":null}     | value     | got null",
            "boolean id         | {\"deviceId\":true,\"metricId\":1,\"timestamp\":1,\"value\":1}     | deviceId  | got a boolean",
            "object id          | {\"deviceId\":{\"a\":1},\"metricId\":1,\"timestamp\":1,\"value\":1} | deviceId | got an object",
            "array value        | {\"deviceId\":1,\"metricId\":1,\"timestamp\":1,\"value\":[1]}      | value     | got an array",
            "duplicate field    | {\"deviceId\":1,\"deviceId\":2,\"metricId\":1,\"timestamp\":1,\"value\":1} | deviceId | appears more than once",
        })
        void namesTheFieldAndTheReason(String rule, String json, String field, String reason) {
            Violation violation = onlyViolationOf(json);
            assertThat(violation.index()).isZero();
            assertThat(violation.field()).isEqualTo(field);
            assertThat(violation.reason()).contains(reason);
        }

        @Test
        void reportsEveryBrokenRuleOfOneEvent() {
            List<Violation> violations = violationsOf("{\"deviceId\":\"a\",\"value\":NaN}", BodyFormat.JSON);
            assertThat(violations).extracting(Violation::field)
                    .containsExactlyInAnyOrder("deviceId", "value", "metricId", "timestamp");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "42", "\"text\"", "null", "[]"})
        void refusesBodiesWithoutEvents(String body) {
            Violation violation = onlyViolationOf(body);
            assertThat(violation.field()).isNull();
            assertThat(violation.reason()).isNotBlank();
        }

        @Test
        void malformedJsonSaysWhere() {
            Violation violation = onlyViolationOf("{\"deviceId\":1,\"metricId\" 2}");
            assertThat(violation.field()).isNull();
            assertThat(violation.reason()).startsWith("malformed JSON at line 1 column");
        }

        @Test
        void twoConcatenatedObjectsAreNotABatch() {
            Violation violation = onlyViolationOf(eventJson("1", "1", "1", "1") + eventJson("2", "2", "2", "2"));
            assertThat(violation.reason()).contains("unexpected content after the JSON value", "x-ndjson");
        }

        @Test
        void messageSummarizesTheViolations() {
            assertThatThrownBy(() -> codec.decode(utf8("{\"deviceId\":1}"), BodyFormat.JSON))
                    .hasMessageStartingWith("3 invalid events: event 0 field 'metricId': is required");
        }
    }

    @Nested
    class Batches {

        @Test
        void readsAnArrayInOrder() throws Exception {
            String body = "[" + eventJson("1", "1", "10", "1.5") + "," + eventJson("2", "1", "11", "2.5") + "]";
            assertThat(codec.decode(utf8(body), BodyFormat.JSON))
                    .containsExactly(new Event(1, 1, 10, 1.5), new Event(2, 1, 11, 2.5));
        }

        @Test
        void rejectsTheWholeArrayAndListsEachBadIndex() {
            String body = "[" + eventJson("1", "1", "10", "1") + ","
                    + eventJson("\"2\"", "1", "11", "2") + ","
                    + "7,"
                    + eventJson("3", "1", "12", "3") + ","
                    + eventJson("4", "1", "13", "NaN") + "]";
            List<Violation> violations = violationsOf(body, BodyFormat.JSON);
            assertThat(violations).extracting(Violation::index, Violation::field)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1, "deviceId"),
                            org.assertj.core.groups.Tuple.tuple(2, null),
                            org.assertj.core.groups.Tuple.tuple(4, "value"));
        }

        @Test
        void malformedArrayNamesTheIndexBeingRead() {
            String body = "[" + eventJson("1", "1", "10", "1") + "," + "{\"deviceId\":2,}]";
            Violation violation = onlyViolationOf(body);
            assertThat(violation.index()).isEqualTo(1);
            assertThat(violation.reason()).startsWith("malformed JSON");
        }

        @Test
        void readsNdjsonSkippingBlankLinesAndCarriageReturns() throws Exception {
            String body = eventJson("1", "1", "10", "1") + "\r\n\n  \n" + eventJson("2", "1", "11", "2") + "\n";
            assertThat(codec.decode(utf8(body), BodyFormat.NDJSON))
                    .containsExactly(new Event(1, 1, 10, 1.0), new Event(2, 1, 11, 2.0));
        }

        @Test
        void ndjsonGoesOnAfterAMalformedLineAndReportsEveryBadOne() {
            String body = eventJson("1", "1", "10", "1") + "\n"
                    + "{not json\n"
                    + eventJson("2", "1", "11", "2") + "\n"
                    + "[" + eventJson("3", "1", "12", "3") + "]\n"
                    + eventJson("-4", "1", "13", "4") + "\n";
            List<Violation> violations = violationsOf(body, BodyFormat.NDJSON);
            assertThat(violations).extracting(Violation::index).containsExactly(1, 3, 4);
            assertThat(violations.get(0).reason()).startsWith("malformed JSON");
            assertThat(violations.get(1).reason()).contains("must be a JSON object");
            assertThat(violations.get(2).field()).isEqualTo("deviceId");
        }

        @Test
        void emptyNdjsonIsRefused() {
            assertThat(violationsOf("\n\n", BodyFormat.NDJSON)).hasSize(1);
        }

        @Test
        void roundTripsTenThousandEventsInBothBatchForms() throws Exception {
            Random random = new Random(42);
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                events.add(new Event(random.nextInt(Integer.MAX_VALUE), random.nextInt(1000),
                        NOW - random.nextInt(1_000_000), random.nextGaussian() * 1e6));
            }
            assertThat(codec.decode(codec.encodeArray(events), BodyFormat.JSON)).isEqualTo(events);
            assertThat(codec.decode(codec.encodeNdjson(events), BodyFormat.NDJSON)).isEqualTo(events);
        }

        @Test
        void tenThousandEventsWithOneBadReportOnlyThatOne() {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                events.add(new Event(i, 1, NOW, i));
            }
            String body = new String(codec.encodeArray(events), StandardCharsets.UTF_8)
                    .replace("{\"deviceId\":7777,", "{\"deviceId\":\"7777\",");
            List<Violation> violations = violationsOf(body, BodyFormat.JSON);
            assertThat(violations).containsExactly(new Violation(7777, "deviceId",
                    "must be a JSON integer in 0..2147483647, got a string (strings are not converted to numbers)"));
        }
    }

    @Nested
    class Encoding {

        @Test
        void writesTheCanonicalForm() {
            assertThat(codec.encodeToString(new Event(17, 3, 1_764_000_000_000L, 21.5)))
                    .isEqualTo("{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000,\"value\":21.5}");
        }

        @ParameterizedTest
        @ValueSource(doubles = {0.0, -0.0, 1e-300, 1e300, Double.MIN_VALUE, Double.MAX_VALUE, -123.456, 0.1})
        void roundTripsDoublesExactly(double value) throws Exception {
            Event event = new Event(1, 2, 3, value);
            assertThat(codec.decodeOne(codec.encode(event))).isEqualTo(event);
        }

        @Test
        void writesExactlyWhatJacksonWrites() throws Exception {
            JsonFactory jackson = new JsonFactoryBuilder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
            Random random = new Random(7);
            List<Event> events = new ArrayList<>(List.of(
                    new Event(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, -2.2250738585072014E-308),
                    new Event(0, 0, 0, -0.0),
                    new Event(1, 1, 1, Double.MIN_VALUE),
                    new Event(1, 1, 1, -Double.MAX_VALUE)));
            for (int i = 0; i < 100_000; i++) {
                double value = Double.longBitsToDouble(random.nextLong());
                events.add(new Event(random.nextInt(Integer.MAX_VALUE), random.nextInt(1000),
                        random.nextLong() & Long.MAX_VALUE, Double.isFinite(value) ? value : random.nextDouble()));
            }
            ObjectMapper mapper = new ObjectMapper(jackson);
            for (Event event : events) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("deviceId", event.deviceId());
                fields.put("metricId", event.metricId());
                fields.put("timestamp", event.timestamp());
                fields.put("value", event.value());
                assertThat(codec.encodeToString(event)).isEqualTo(mapper.writeValueAsString(fields));
            }
        }

        @Test
        void writesBatchesAroundTheCanonicalForm() {
            Event first = new Event(1, 2, 3, 4.5);
            Event second = new Event(6, 7, 8, -9.0);
            String one = codec.encodeToString(first);
            String two = codec.encodeToString(second);
            assertThat(new String(codec.encodeArray(List.of(first, second)), StandardCharsets.UTF_8))
                    .isEqualTo("[" + one + "," + two + "]");
            assertThat(new String(codec.encodeNdjson(List.of(first, second)), StandardCharsets.UTF_8))
                    .isEqualTo(one + "\n" + two + "\n");
            assertThat(codec.encodeArray(List.of())).asString(StandardCharsets.UTF_8).isEqualTo("[]");
            assertThat(codec.encodeNdjson(List.of())).isEmpty();
        }
    }

    @Test
    void eventRefusesInvalidStateEvenWithoutTheCodec() {
        assertThatThrownBy(() -> new Event(-1, 0, 0, 0)).hasMessageContaining("deviceId");
        assertThatThrownBy(() -> new Event(0, -1, 0, 0)).hasMessageContaining("metricId");
        assertThatThrownBy(() -> new Event(0, 0, -1, 0)).hasMessageContaining("timestamp");
        assertThatThrownBy(() -> new Event(0, 0, 0, Double.NaN)).hasMessageContaining("value");
    }

    private static String eventJson(String deviceId, String metricId, String timestamp, String value) {
        return "{\"deviceId\":" + deviceId + ",\"metricId\":" + metricId + ",\"timestamp\":" + timestamp
                + ",\"value\":" + value + "}";
    }
}
