package org.iotpipeline.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;

/**
 * Reads one JSON object into an {@link Event}, collecting every rule it breaks instead of stopping
 * at the first. Strict on purpose: strings are never coerced to numbers, {@code 17.0} is not an
 * integer, and NaN/Infinity are named as such rather than reported as syntax errors.
 */
final class EventFieldReader {

    static final String DEVICE_ID = "deviceId";
    static final String METRIC_ID = "metricId";
    static final String TIMESTAMP = "timestamp";
    static final String VALUE = "value";

    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

    private final ValidationPolicy policy;

    EventFieldReader(ValidationPolicy policy) {
        this.policy = policy;
    }

    /**
     * Reads the object whose {@code START_OBJECT} is the parser's current token and leaves the
     * parser on its {@code END_OBJECT}.
     *
     * @return the event, or {@code null} if the object broke a rule (then {@code out} says why)
     * @throws IOException on malformed JSON, which the caller reports
     */
    Event read(JsonParser parser, int index, List<Violation> out) throws IOException {
        int violationsBefore = out.size();
        long deviceId = -1;
        long metricId = -1;
        long timestamp = -1;
        double value = Double.NaN;
        boolean hasDevice = false;
        boolean hasMetric = false;
        boolean hasTimestamp = false;
        boolean hasValue = false;

        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken valueToken = parser.nextToken();
            switch (name) {
                case DEVICE_ID -> {
                    hasDevice = duplicateCheck(hasDevice, index, name, out);
                    deviceId = readInt(parser, valueToken, index, name, out);
                }
                case METRIC_ID -> {
                    hasMetric = duplicateCheck(hasMetric, index, name, out);
                    metricId = readInt(parser, valueToken, index, name, out);
                }
                case TIMESTAMP -> {
                    hasTimestamp = duplicateCheck(hasTimestamp, index, name, out);
                    timestamp = readTimestamp(parser, valueToken, index, out);
                }
                case VALUE -> {
                    hasValue = duplicateCheck(hasValue, index, name, out);
                    value = readValue(parser, valueToken, index, out);
                }
                default -> parser.skipChildren(); // unknown fields are ignored by contract
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new IllegalStateException("parser left an object on " + token);
        }
        requirePresent(hasDevice, index, DEVICE_ID, out);
        requirePresent(hasMetric, index, METRIC_ID, out);
        requirePresent(hasTimestamp, index, TIMESTAMP, out);
        requirePresent(hasValue, index, VALUE, out);
        if (out.size() > violationsBefore) {
            return null;
        }
        return new Event((int) deviceId, (int) metricId, timestamp, value);
    }

    private static boolean duplicateCheck(boolean seen, int index, String field, List<Violation> out) {
        if (seen) {
            out.add(new Violation(index, field, "appears more than once"));
        }
        return true;
    }

    private static void requirePresent(boolean present, int index, String field, List<Violation> out) {
        if (!present) {
            out.add(new Violation(index, field, "is required"));
        }
    }

    /** An id in 0..2^31-1, or -1 after recording a violation. */
    private static long readInt(JsonParser parser, JsonToken token, int index, String field, List<Violation> out)
            throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            out.add(new Violation(index, field, "must be a JSON integer in 0..2147483647, " + describe(parser, token)));
            return -1;
        }
        if (parser.getNumberType() == JsonParser.NumberType.INT) {
            int id = parser.getIntValue();
            if (id >= 0) {
                return id;
            }
        }
        out.add(new Violation(index, field, "must be in 0..2147483647, got " + parser.getText()));
        return -1;
    }

    private long readTimestamp(JsonParser parser, JsonToken token, int index, List<Violation> out)
            throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            out.add(new Violation(index, TIMESTAMP,
                    "must be a JSON integer (epoch milliseconds UTC), " + describe(parser, token)));
            return -1;
        }
        boolean fitsLong = parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                || parser.getBigIntegerValue().compareTo(MAX_LONG) <= 0;
        long millis = fitsLong ? parser.getLongValue() : -1;
        if (!fitsLong || millis < 0) {
            out.add(new Violation(index, TIMESTAMP,
                    "must be epoch milliseconds in 0..9223372036854775807, got " + parser.getText()));
            return -1;
        }
        var outside = policy.horizonViolation(millis);
        if (outside.isPresent()) {
            out.add(new Violation(index, TIMESTAMP, outside.get()));
            return -1;
        }
        return millis;
    }

    private static double readValue(JsonParser parser, JsonToken token, int index, List<Violation> out)
            throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            out.add(new Violation(index, VALUE, "must be a JSON number, " + describe(parser, token)));
            return Double.NaN;
        }
        if (parser.isNaN()) {
            out.add(new Violation(index, VALUE, "must be a finite number, got " + parser.getText()));
            return Double.NaN;
        }
        double value = parser.getDoubleValue();
        if (!Double.isFinite(value)) {
            out.add(new Violation(index, VALUE, "must be a finite number; " + parser.getText()
                    + " is out of the range of a 64-bit double"));
            return Double.NaN;
        }
        if (value == 0.0 && token == JsonToken.VALUE_NUMBER_FLOAT && hasNonZeroDigit(parser.getText())) {
            // Rounding to the nearest double is expected; turning a measurement into zero is not.
            out.add(new Violation(index, VALUE, "is not representable: " + parser.getText()
                    + " is closer to zero than the smallest 64-bit double (4.9E-324) and would be stored as 0"));
            return Double.NaN;
        }
        return value;
    }

    /** Whether the significand of a JSON number (the part before any exponent) has a digit 1-9. */
    private static boolean hasNonZeroDigit(String number) {
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c == 'e' || c == 'E') {
                return false;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    /** "got a string", "got 17.5", ...; skips over a nested value so parsing can continue. */
    private static String describe(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> "got a string (strings are not converted to numbers)";
            case VALUE_TRUE, VALUE_FALSE -> "got a boolean";
            case VALUE_NULL -> "got null";
            case VALUE_NUMBER_FLOAT -> parser.isNaN()
                    ? "got " + parser.getText()
                    : "got the fraction " + parser.getText();
            case START_OBJECT -> {
                parser.skipChildren();
                yield "got an object";
            }
            case START_ARRAY -> {
                parser.skipChildren();
                yield "got an array";
            }
            default -> "got " + token;
        };
    }
}
