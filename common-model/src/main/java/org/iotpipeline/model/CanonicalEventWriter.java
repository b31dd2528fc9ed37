package org.iotpipeline.model;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.nio.charset.StandardCharsets;

/**
 * Writes the canonical JSON of an event, {@code {"deviceId":17,"metricId":3,"timestamp":1764000000000,"value":21.5}},
 * byte for byte what a Jackson generator with the fast double writer produces, without creating one.
 *
 * <p>Why not a generator: the gateway encodes every accepted event, and in its batch profile a
 * generator per event (buffer recycling through a thread-local, per-value state checks, a copy out
 * of a stream) cost as much as formatting the numbers. The numbers are still formatted by Jackson's
 * {@link NumberOutput}, so the output cannot drift from the generator's.
 */
final class CanonicalEventWriter {

    /** Longest output: four prefixes, two ints, a long and a double of at most 24 characters. */
    static final int MAX_LENGTH = 128;

    private static final byte[] DEVICE_ID = ascii("{\"" + EventFieldReader.DEVICE_ID + "\":");
    private static final byte[] METRIC_ID = ascii(",\"" + EventFieldReader.METRIC_ID + "\":");
    private static final byte[] TIMESTAMP = ascii(",\"" + EventFieldReader.TIMESTAMP + "\":");
    private static final byte[] VALUE = ascii(",\"" + EventFieldReader.VALUE + "\":");

    private CanonicalEventWriter() {
    }

    /**
     * Writes the event into {@code buffer} from {@code offset}, which must have
     * {@link #MAX_LENGTH} bytes free.
     *
     * @return the offset after the last byte written
     */
    static int write(Event event, byte[] buffer, int offset) {
        int at = put(DEVICE_ID, buffer, offset);
        at = NumberOutput.outputInt(event.deviceId(), buffer, at);
        at = put(METRIC_ID, buffer, at);
        at = NumberOutput.outputInt(event.metricId(), buffer, at);
        at = put(TIMESTAMP, buffer, at);
        at = NumberOutput.outputLong(event.timestamp(), buffer, at);
        at = put(VALUE, buffer, at);
        // Events are finite (Event rejects NaN and infinities), so this is always a JSON number.
        String value = NumberOutput.toString(event.value(), true);
        for (int i = 0; i < value.length(); i++) {
            buffer[at++] = (byte) value.charAt(i);
        }
        buffer[at++] = '}';
        return at;
    }

    private static int put(byte[] bytes, byte[] buffer, int offset) {
        System.arraycopy(bytes, 0, buffer, offset, bytes.length);
        return offset + bytes.length;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
