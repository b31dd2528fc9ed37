package org.iotpipeline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bodies built to cost the receiver, and odd input that must not be accepted quietly. */
class EventCodecHostileInputTest {

    private static final long NOW = 1_764_000_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private static final ValidationPolicy POLICY = new ValidationPolicy(EventHorizon.defaults(), CLOCK);
    private final EventCodec codec = new EventCodec(POLICY);

    private static String event(int device, String value) {
        return "{\"deviceId\":" + device + ",\"metricId\":1,\"timestamp\":" + NOW + ",\"value\":" + value + "}";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static InvalidEventsException rejection(ThrowingDecode decode) {
        InvalidEventsException e = catchThrowableOfType(InvalidEventsException.class, decode::run);
        assertThat(e).as("expected an InvalidEventsException").isNotNull();
        return e;
    }

    private interface ThrowingDecode {
        void run() throws Exception;
    }

    @Nested
    class ReportingCap {

        @Test
        void tenThousandEmptyObjectsListTheFirstHundredViolationsAndCountTheRest() {
            byte[] body = utf8("{}\n".repeat(10_000));

            InvalidEventsException e = rejection(() -> codec.decode(body, BodyFormat.NDJSON, 10_000));

            assertThat(e.violations()).hasSize(EventCodec.DEFAULT_MAX_REPORTED_VIOLATIONS);
            assertThat(e.unlistedViolations()).isEqualTo(40_000 - 100);
            assertThat(e.invalidEvents()).isEqualTo(10_000);
            assertThat(e.violations().get(0)).isEqualTo(new Violation(0, "deviceId", "is required"));
            assertThat(e.violations().get(99).index()).isEqualTo(24);
            assertThat(e.getMessage()).startsWith("40000 invalid events: event 0 field 'deviceId': is required")
                    .endsWith("; and 39995 more (only the first 100 violations are listed)");
        }

        @Test
        void theCapIsAConstructorArgumentAndAppliesToArraysToo() {
            EventCodec three = new EventCodec(POLICY, 3);
            byte[] body = utf8("[{},{},{\"deviceId\":\"x\"}]");

            InvalidEventsException e = rejection(() -> three.decode(body, BodyFormat.JSON));

            assertThat(e.violations()).extracting(Violation::index).containsExactly(0, 0, 0);
            assertThat(e.unlistedViolations()).isEqualTo(12 - 3);
            assertThat(e.invalidEvents()).isEqualTo(3);
        }

        @Test
        void belowTheCapEveryViolationIsListedAndTheMessageIsUnchanged() {
            InvalidEventsException e = rejection(() -> codec.decode(utf8("[" + event(1, "1") + ",{\"deviceId\":1}]"),
                    BodyFormat.JSON));

            assertThat(e.violations()).hasSize(3);
            assertThat(e.unlistedViolations()).isZero();
            assertThat(e.invalidEvents()).isEqualTo(1);
            assertThat(e.getMessage()).isEqualTo("3 invalid events: event 1 field 'metricId': is required;"
                    + " event 1 field 'timestamp': is required; event 1 field 'value': is required");
        }
    }

    @Nested
    class EventCap {

        @Test
        void exactlyTheLimitIsRead() throws Exception {
            String five = String.join(",", List.of(event(1, "1"), event(2, "2"), event(3, "3"), event(4, "4"), event(5, "5")));

            assertThat(codec.decode(utf8("[" + five + "]"), BodyFormat.JSON, 5)).hasSize(5);
            assertThat(codec.decode(utf8(five.replace("},{", "}\n\n{")), BodyFormat.NDJSON, 5)).hasSize(5);
        }

        @Test
        void readingStopsAtTheFirstEventTooManyWhateverFollows() {
            // Five broken events, a sixth, then malformed JSON: the cap answers before any of that is judged.
            String body = "[{},{},{},{},{},{}, this is not JSON";

            EventCodec.TooManyEventsException e = catchThrowableOfType(EventCodec.TooManyEventsException.class,
                    () -> codec.decode(utf8(body), BodyFormat.JSON, 5));

            assertThat(e).isNotNull();
            assertThat(e.limit()).isEqualTo(5);
        }

        @Test
        void ndjsonCountsNonBlankLines() {
            String body = "{}\n\n{}\n{}\n   \n{}\n{}\n{}\nnot json";

            EventCodec.TooManyEventsException e = catchThrowableOfType(EventCodec.TooManyEventsException.class,
                    () -> codec.decode(utf8(body), BodyFormat.NDJSON, 5));

            assertThat(e).isNotNull();
        }
    }

    @Nested
    class OddNumbers {

        @ParameterizedTest
        @ValueSource(strings = {"1e-400", "-1E-400", "2e-324", "0.00001e-320", "1E-99999999"})
        void aNonZeroValueThatWouldBecomeZeroIsRefused(String value) {
            InvalidEventsException e = rejection(() -> codec.decode(utf8(event(1, value)), BodyFormat.JSON));

            assertThat(e.violations()).singleElement().satisfies(violation -> {
                assertThat(violation.field()).isEqualTo("value");
                assertThat(violation.reason()).startsWith("is not representable: " + value)
                        .contains("would be stored as 0");
            });
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-0", "0.0", "0e-400", "0.000E+5", "4.9e-324", "1e-320", "3e-324"})
        void zeroAndTinyRepresentableValuesAreAccepted(String value) throws Exception {
            List<Event> events = codec.decode(utf8(event(1, value)), BodyFormat.JSON);

            assertThat(events.get(0).value()).isEqualTo(Double.parseDouble(value));
        }
    }

    @Nested
    class Encodings {

        @ParameterizedTest
        @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"})
        void utf16And32BodiesAreRefusedWithoutABom(String charset) {
            byte[] body = event(1, "1.5").getBytes(Charset.forName(charset));

            InvalidEventsException e = rejection(() -> codec.decode(body, BodyFormat.JSON));

            assertThat(e.violations()).singleElement().satisfies(violation -> {
                assertThat(violation.index()).isZero();
                assertThat(violation.reason()).contains("must be UTF-8").contains("NUL bytes");
            });
        }

        @ParameterizedTest
        @ValueSource(strings = {"UTF-16", "x-UTF-16LE-BOM", "X-UTF-32BE-BOM", "X-UTF-32LE-BOM"})
        void aUtf16Or32ByteOrderMarkIsRefused(String charset) {
            byte[] body = event(1, "1.5").getBytes(Charset.forName(charset));

            InvalidEventsException e = rejection(() -> codec.decode(body, BodyFormat.NDJSON));

            assertThat(e.violations()).singleElement()
                    .satisfies(violation -> assertThat(violation.reason()).contains("byte order mark"));
        }

        @Test
        void anNdjsonLineInUtf16IsRefusedEvenAfterAUtf8One() {
            byte[] first = utf8(event(1, "1") + "\n");
            byte[] second = event(2, "2").getBytes(StandardCharsets.UTF_16BE);
            byte[] body = new byte[first.length + second.length];
            System.arraycopy(first, 0, body, 0, first.length);
            System.arraycopy(second, 0, body, first.length, second.length);

            InvalidEventsException e = rejection(() -> codec.decode(body, BodyFormat.NDJSON));

            assertThat(e.violations()).singleElement().satisfies(violation -> {
                assertThat(violation.index()).isEqualTo(1);
                assertThat(violation.reason()).contains("must be UTF-8");
            });
        }

        @Test
        void aKafkaValueInUtf16IsRefused() {
            InvalidEventsException e = rejection(() -> codec.decodeOne(event(1, "1").getBytes(StandardCharsets.UTF_16LE)));

            assertThat(e.violations()).singleElement()
                    .satisfies(violation -> assertThat(violation.reason()).contains("must be UTF-8"));
        }

        @Test
        void aUtf8ByteOrderMarkIsIgnored() throws Exception {
            byte[] text = utf8(event(1, "1.5"));
            byte[] body = new byte[text.length + 3];
            body[0] = (byte) 0xEF;
            body[1] = (byte) 0xBB;
            body[2] = (byte) 0xBF;
            System.arraycopy(text, 0, body, 3, text.length);

            assertThat(codec.decode(body, BodyFormat.JSON)).containsExactly(new Event(1, 1, NOW, 1.5));
        }
    }

    @Test
    void refusesNonsensicalLimits() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> new EventCodec(POLICY, 0))).isNotNull();
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> codec.decode(utf8(event(1, "1")), BodyFormat.JSON, 0))).isNotNull();
    }

    @Test
    void theTimestampHorizonStillRefusesEpochZero() {
        InvalidEventsException e = rejection(() -> codec.decode(
                utf8("{\"deviceId\":1,\"metricId\":1,\"timestamp\":0,\"value\":1}"), BodyFormat.JSON));

        assertThat(e.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("timestamp");
            assertThat(violation.reason()).contains("max-event-age");
        });
    }
}
