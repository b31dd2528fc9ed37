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

    private final JsonFactory factory;
    private final EventFieldReader fieldReader;

    public EventCodec(ValidationPolicy policy) {
        Objects.requireNonNull(policy, "policy");
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
     * {@link BodyFormat#NDJSON} one object per line.
     *
     * @return the events in body order, never empty
     * @throws InvalidEventsException listing every invalid event, if any is invalid
     */
    public List<Event> decode(byte[] body, BodyFormat format) throws InvalidEventsException {
        Objects.requireNonNull(body, "body");
        return switch (format) {
            case JSON -> decodeJson(body);
            case NDJSON -> decodeNdjson(body);
        };
    }

    /**
     * Reads exactly one event object, as carried in one Kafka record value.
     *
     * @throws InvalidEventsException if it is not exactly one valid event object
     */
    public Event decodeOne(byte[] json) throws InvalidEventsException {
        Objects.requireNonNull(json, "json");
        return decodeSingleObject(json, 0, json.length, 0);
    }

    private List<Event> decodeJson(byte[] body) throws InvalidEventsException {
        List<Violation> violations = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        int index = 0;
        try (JsonParser parser = factory.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw single(new Violation(0, null, "the body is empty; send a JSON object or an array of objects"));
            }
            if (first == JsonToken.START_OBJECT) {
                collect(fieldReader.read(parser, 0, violations), events);
            } else if (first == JsonToken.START_ARRAY) {
                JsonToken token;
                while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (token == JsonToken.START_OBJECT) {
                        collect(fieldReader.read(parser, index, violations), events);
                    } else {
                        parser.skipChildren();
                        violations.add(new Violation(index, null, "must be a JSON object, got " + token.asString()));
                    }
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
            violations.add(malformed(index, e));
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a byte array failed", e);
        }
        if (!violations.isEmpty()) {
            throw new InvalidEventsException(violations);
        }
        return events;
    }

    private List<Event> decodeNdjson(byte[] body) throws InvalidEventsException {
        List<Violation> violations = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        int index = 0;
        int lineStart = 0;
        while (lineStart < body.length) {
            int lineEnd = lineStart;
            while (lineEnd < body.length && body[lineEnd] != '\n') {
                lineEnd++;
            }
            if (!isBlank(body, lineStart, lineEnd)) {
                try {
                    events.add(decodeSingleObject(body, lineStart, lineEnd - lineStart, index));
                } catch (InvalidEventsException e) {
                    violations.addAll(e.violations());
                }
                index++;
            }
            lineStart = lineEnd + 1;
        }
        if (index == 0) {
            throw single(new Violation(0, null, "the body holds no events; send one JSON object per line"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidEventsException(violations);
        }
        return events;
    }

    private Event decodeSingleObject(byte[] bytes, int offset, int length, int index) throws InvalidEventsException {
        List<Violation> violations = new ArrayList<>(2);
        Event event = null;
        try (JsonParser parser = factory.createParser(bytes, offset, length)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw single(new Violation(index, null, "must be a JSON object, got "
                        + (first == null ? "nothing" : first.asString())));
            }
            event = fieldReader.read(parser, index, violations);
            if (parser.nextToken() != null) {
                throw single(new Violation(index, null,
                        "unexpected content after the JSON object at " + position(parser)));
            }
        } catch (JsonProcessingException e) {
            violations.add(malformed(index, e));
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a byte array failed", e);
        }
        if (!violations.isEmpty()) {
            throw new InvalidEventsException(violations);
        }
        return event;
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
}
