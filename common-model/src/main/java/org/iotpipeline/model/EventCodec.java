package org.iotpipeline.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place events are read from and written to JSON (contract: docs/api.md, "The event").
 * Every service uses it, so a body the gateway accepts is a record the ETL can read.
 *
 * <p>Decoding validates whole bodies: either every event is valid and all are returned, or an
 * {@link InvalidEventsException} lists every violation with its index. Encoding produces the
 * canonical form {@code {"deviceId":17,"metricId":3,"timestamp":1764000000000,"value":21.5}}.
 *
 * <p>Thread-safe and cheap to share.
 */
public final class EventCodec {

    /**
     * Violations listed in one {@link InvalidEventsException} by default; the rest are only
     * counted. A body of a million broken events must not become a million-entry error body.
     */
    public static final int DEFAULT_MAX_REPORTED_VIOLATIONS = 100;

    private final JsonFactory factory;
    private final EventFieldReader fieldReader;
    private final int maxReportedViolations;

    /** A codec that lists at most {@value #DEFAULT_MAX_REPORTED_VIOLATIONS} violations per body. */
    public EventCodec(ValidationPolicy policy) {
        this(policy, DEFAULT_MAX_REPORTED_VIOLATIONS);
    }

    /**
     * @param maxReportedViolations violations listed per body at most (at least 1); further ones
     *                              are counted in {@link InvalidEventsException#unlistedViolations()}
     */
    public EventCodec(ValidationPolicy policy, int maxReportedViolations) {
        Objects.requireNonNull(policy, "policy is null");
        if (maxReportedViolations < 1) {
            throw new IllegalArgumentException("maxReportedViolations must be at least 1, got " + maxReportedViolations);
        }
        this.maxReportedViolations = maxReportedViolations;
        // NaN/Infinity literals are let through the tokenizer only so the reader can name them.
        // The fast double parser (exact) matters: every event carries a double. Encoding does not
        // use the factory (CanonicalEventWriter).
        this.factory = new JsonFactoryBuilder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build();
        this.fieldReader = new EventFieldReader(policy);
    }

    /** A codec with the default policy (7 days back, 5 minutes ahead of the system clock). */
    public static EventCodec withDefaults() {
        return new EventCodec(ValidationPolicy.defaults());
    }

    /**
     * Reads a request body: for {@link BodyFormat#JSON} one object or an array of objects, for
     * {@link BodyFormat#NDJSON} one object per line. Any number of events.
     *
     * @return the events in body order, never empty
     * @throws InvalidEventsException listing every invalid event (up to the reporting cap), if any is invalid
     */
    public List<Event> decode(byte[] body, BodyFormat format) throws InvalidEventsException {
        try {
            return decode(body, format, Integer.MAX_VALUE);
        } catch (TooManyEventsException e) {
            throw new IllegalStateException("no body holds more than Integer.MAX_VALUE events", e);
        }
    }

    /**
     * Reads a request body of at most {@code maxEvents} events. Reading stops as soon as event
     * {@code maxEvents + 1} begins, so a body of many small (or broken) events costs no more than
     * {@code maxEvents} of them.
     *
     * @return the events in body order, never empty
     * @throws TooManyEventsException if the body holds more than {@code maxEvents} events (valid or not)
     * @throws InvalidEventsException listing every invalid event (up to the reporting cap), if any is invalid
     */
    public List<Event> decode(byte[] body, BodyFormat format, int maxEvents)
            throws InvalidEventsException, TooManyEventsException {
        Objects.requireNonNull(body, "body is null");
        Objects.requireNonNull(format, "format is null");
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1, got " + maxEvents);
        }
        Optional<String> notUtf8 = notUtf8(body, 0, body.length);
        if (notUtf8.isPresent()) {
            throw single(new Violation(0, null, notUtf8.get()));
        }
        return switch (format) {
            case JSON -> decodeJson(body, maxEvents);
            case NDJSON -> decodeNdjson(body, maxEvents);
        };
    }

    /**
     * Reads exactly one event object, as carried in one Kafka record value.
     *
     * @throws InvalidEventsException if it is not exactly one valid event object
     */
    public Event decodeOne(byte[] json) throws InvalidEventsException {
        Objects.requireNonNull(json, "json is null");
        Violations violations = new Violations(maxReportedViolations);
        Event event = decodeSingleObject(json, 0, json.length, 0, violations);
        violations.throwIfAny();
        return event;
    }

    private List<Event> decodeJson(byte[] body, int maxEvents) throws InvalidEventsException, TooManyEventsException {
        Violations violations = new Violations(maxReportedViolations);
        List<Event> events = new ArrayList<>();
        // One event's violations, reused: the reporting cap applies only once they are handed on.
        List<Violation> ofEvent = new ArrayList<>(4);
        int index = 0;
        try (JsonParser parser = factory.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw single(new Violation(0, null, "the body is empty; send a JSON object or an array of objects"));
            }
            if (first == JsonToken.START_OBJECT) {
                collect(fieldReader.read(parser, 0, ofEvent), events);
                violations.addEvent(ofEvent);
            } else if (first == JsonToken.START_ARRAY) {
                JsonToken token;
                while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (index == maxEvents) {
                        throw new TooManyEventsException(maxEvents);
                    }
                    if (token == JsonToken.START_OBJECT) {
                        Event event = fieldReader.read(parser, index, ofEvent);
                        if (violations.isEmpty()) {
                            collect(event, events); // once one event is invalid, none is returned
                        }
                    } else {
                        parser.skipChildren();
                        ofEvent.add(new Violation(index, null, "must be a JSON object, got " + token.asString()));
                    }
                    violations.addEvent(ofEvent);
                    index++;
                }
                if (index == 0) {
                    throw single(new Violation(0, null, "the array is empty; send at least one event"));
                }
            } else {
                throw single(new Violation(0, null, "the body must be a JSON object or an array of objects"));
            }
            if (parser.nextToken() != null) {
                throw single(new Violation(index, null,
                        "unexpected content after the JSON value at " + position(parser)
                                + " (several objects in one body need a JSON array or application/x-ndjson)"));
            }
        } catch (JsonProcessingException e) {
            ofEvent.add(malformed(index, e));
            violations.addEvent(ofEvent);
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a byte array failed", e);
        }
        violations.throwIfAny();
        return events;
    }

    private List<Event> decodeNdjson(byte[] body, int maxEvents) throws InvalidEventsException, TooManyEventsException {
        Violations violations = new Violations(maxReportedViolations);
        List<Event> events = new ArrayList<>();
        int index = 0;
        int lineStart = 0;
        while (lineStart < body.length) {
            int lineEnd = lineStart;
            while (lineEnd < body.length && body[lineEnd] != '\n') {
                lineEnd++;
            }
            if (!isBlank(body, lineStart, lineEnd)) {
                if (index == maxEvents) {
                    throw new TooManyEventsException(maxEvents);
                }
                Event event = decodeSingleObject(body, lineStart, lineEnd - lineStart, index, violations);
                if (violations.isEmpty()) {
                    collect(event, events); // once one event is invalid, none is returned
                }
                index++;
            }
            lineStart = lineEnd + 1;
        }
        if (index == 0) {
            throw single(new Violation(0, null, "the body holds no events; send one JSON object per line"));
        }
        violations.throwIfAny();
        return events;
    }

    /** One object standing alone (an NDJSON line, a Kafka value); its violations go to {@code violations}. */
    private Event decodeSingleObject(byte[] bytes, int offset, int length, int index, Violations violations) {
        List<Violation> ofEvent = new ArrayList<>(2);
        Event event = null;
        Optional<String> notUtf8 = notUtf8(bytes, offset, length);
        if (notUtf8.isPresent()) {
            // Jackson would detect UTF-16/32 per line and read it; the body is UTF-8 or nothing.
            ofEvent.add(new Violation(index, null, notUtf8.get()));
            violations.addEvent(ofEvent);
            return null;
        }
        try (JsonParser parser = factory.createParser(bytes, offset, length)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                ofEvent.add(new Violation(index, null, "must be a JSON object, got "
                        + (first == null ? "nothing" : first.asString())));
            } else {
                event = fieldReader.read(parser, index, ofEvent);
                if (parser.nextToken() != null) {
                    ofEvent.clear();
                    ofEvent.add(new Violation(index, null,
                            "unexpected content after the JSON object at " + position(parser)));
                }
            }
        } catch (JsonProcessingException e) {
            ofEvent.add(malformed(index, e));
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a byte array failed", e);
        }
        violations.addEvent(ofEvent);
        return ofEvent.isEmpty() ? event : null;
    }

    /** The canonical JSON of one event, UTF-8. */
    public byte[] encode(Event event) {
        byte[] buffer = new byte[CanonicalEventWriter.MAX_LENGTH];
        return Arrays.copyOf(buffer, CanonicalEventWriter.write(event, buffer, 0));
    }

    public String encodeToString(Event event) {
        return new String(encode(event), StandardCharsets.UTF_8);
    }

    /** Events as a JSON array body. */
    public byte[] encodeArray(List<Event> events) {
        byte[] buffer = new byte[capacity(events) + 2];
        int at = 0;
        buffer[at++] = '[';
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                buffer[at++] = ',';
            }
            at = CanonicalEventWriter.write(events.get(i), buffer, at);
        }
        buffer[at++] = ']';
        return Arrays.copyOf(buffer, at);
    }

    /** Events as an NDJSON body, every line (the last too) ending in a newline. */
    public byte[] encodeNdjson(List<Event> events) {
        byte[] buffer = new byte[capacity(events)];
        int at = 0;
        for (Event event : events) {
            at = CanonicalEventWriter.write(event, buffer, at);
            buffer[at++] = '\n';
        }
        return Arrays.copyOf(buffer, at);
    }

    /** Room for every event and one separator after each. */
    private static int capacity(List<Event> events) {
        return events.size() * (CanonicalEventWriter.MAX_LENGTH + 1);
    }

    private static void collect(Event event, List<Event> events) {
        if (event != null) {
            events.add(event);
        }
    }

    private static boolean isBlank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /**
     * Why bytes are not UTF-8 JSON text, judged from their start the way Jackson detects an
     * encoding (a byte order mark, or NUL bytes among the first four): RFC 8259 §8.1 requires
     * UTF-8 between systems, and an event read as UTF-16 would be one the sender did not mean.
     * A UTF-8 byte order mark is allowed (the RFC lets a parser ignore it; Jackson skips it).
     */
    static Optional<String> notUtf8(byte[] bytes, int offset, int length) {
        int b0 = length > 0 ? bytes[offset] & 0xFF : -1;
        int b1 = length > 1 ? bytes[offset + 1] & 0xFF : -1;
        int b2 = length > 2 ? bytes[offset + 2] & 0xFF : -1;
        int b3 = length > 3 ? bytes[offset + 3] & 0xFF : -1;
        String encoding = null;
        if (b0 == 0 && b1 == 0 && b2 == 0xFE && b3 == 0xFF) {
            encoding = "a UTF-32 big-endian byte order mark";
        } else if (b0 == 0xFF && b1 == 0xFE && b2 == 0 && b3 == 0) {
            encoding = "a UTF-32 little-endian byte order mark";
        } else if (b0 == 0xFE && b1 == 0xFF) {
            encoding = "a UTF-16 big-endian byte order mark";
        } else if (b0 == 0xFF && b1 == 0xFE) {
            encoding = "a UTF-16 little-endian byte order mark";
        } else if (b0 == 0 || b1 == 0 || b2 == 0 || b3 == 0) {
            encoding = "NUL bytes, as UTF-16 or UTF-32 text does";
        }
        return encoding == null ? Optional.empty() : Optional.of("the body must be UTF-8 JSON (RFC 8259 section 8.1),"
                + " but it starts with " + encoding + "; re-encode it as UTF-8");
    }

    private static Violation malformed(int index, JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                + " column " + e.getLocation().getColumnNr();
        return new Violation(index, null, "malformed JSON" + where + ": " + e.getOriginalMessage());
    }

    private static String position(JsonParser parser) {
        return "line " + parser.currentLocation().getLineNr() + " column " + parser.currentLocation().getColumnNr();
    }

    private static InvalidEventsException single(Violation violation) {
        return new InvalidEventsException(List.of(violation));
    }

    /**
     * A body holds more events than the caller accepts; reading stopped at the first one too many,
     * so whether the events were valid is not known.
     */
    public static final class TooManyEventsException extends Exception {

        private static final long serialVersionUID = 1L;

        private final int limit;

        public TooManyEventsException(int limit) {
            super("the body holds more than " + limit + " events");
            this.limit = limit;
        }

        /** The most events accepted. */
        public int limit() {
            return limit;
        }
    }

    /**
     * The violations of one body: the first {@code cap} are kept, the rest only counted, so a body
     * of broken events costs a bounded error body however many it holds.
     */
    private static final class Violations {

        private final int cap;
        private final List<Violation> listed = new ArrayList<>();
        private long unlisted;
        private int invalidEvents;

        Violations(int cap) {
            this.cap = cap;
        }

        /** Takes over (and clears) the violations of one event; an empty list means the event was valid. */
        void addEvent(List<Violation> ofEvent) {
            if (ofEvent.isEmpty()) {
                return;
            }
            invalidEvents++;
            for (Violation violation : ofEvent) {
                if (listed.size() < cap) {
                    listed.add(violation);
                } else {
                    unlisted++;
                }
            }
            ofEvent.clear();
        }

        boolean isEmpty() {
            return invalidEvents == 0;
        }

        void throwIfAny() throws InvalidEventsException {
            if (!isEmpty()) {
                throw new InvalidEventsException(listed, unlisted, invalidEvents);
            }
        }
    }
}
