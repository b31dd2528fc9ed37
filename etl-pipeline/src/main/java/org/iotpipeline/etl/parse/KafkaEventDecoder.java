package org.iotpipeline.etl.parse;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.iotpipeline.model.EventHorizon;
import org.iotpipeline.model.InvalidEventsException;
import org.iotpipeline.model.ValidationPolicy;
import org.iotpipeline.model.Violation;

/**
 * Reads the value of one Kafka record with the project's one parser, {@link EventCodec}, so the
 * ETL accepts exactly what the gateway accepts and names the same reasons when it does not.
 *
 * <p>The horizon ({@link EventHorizon}: max-event-age, max-future-skew) is judged against the
 * record's Kafka timestamp rather than the ETL's clock: the gateway's producer stamps each record
 * when it sends it, right after the gateway checked the same horizon against the same clock, so
 * an event the gateway acknowledged always passes here, and a replay days later gives the same
 * answer. The old side gets {@link #TRANSIT_ALLOWANCE} more, for the time between the gateway's
 * check and the record's timestamp (bounded by the gateway's send timeout) and for a broker clock
 * when the topic uses LogAppendTime. What fails here came from elsewhere (another producer, a
 * gateway with another configuration) and goes to the dead letters with the reason.
 *
 * <p>Build one per Spark partition (it is cheap); the codec itself is thread-safe.
 */
public final class KafkaEventDecoder {

    /** Extra age allowed on top of max-event-age; well above the gateway's send timeout (10 s). */
    public static final Duration TRANSIT_ALLOWANCE = Duration.ofMinutes(1);
    static final String REFERENCE = "the record's Kafka timestamp";

    private final EventCodec codec = new EventCodec(ValidationPolicy.withoutHorizon());
    private final EventHorizon horizon;

    /** @param horizon the configured horizon ({@code iot.events.*}); {@link #TRANSIT_ALLOWANCE} is added to its age */
    public KafkaEventDecoder(EventHorizon horizon) {
        this.horizon = Objects.requireNonNull(horizon, "horizon is null").olderBy(TRANSIT_ALLOWANCE);
    }

    /**
     * The event in {@code value}, or the reason it is not one.
     *
     * @param value            the record value; {@code null} for a tombstone
     * @param kafkaTimestampMs the record's timestamp (epoch ms)
     */
    public Decoded decode(byte[] value, long kafkaTimestampMs) {
        if (value == null) {
            return Decoded.invalid("the record has no value (null); expected one event JSON object");
        }
        Event event;
        try {
            event = codec.decodeOne(value);
        } catch (InvalidEventsException e) {
            return Decoded.invalid(reason(e));
        }
        Optional<String> outside = horizon.violation(event.timestamp(), kafkaTimestampMs, REFERENCE);
        return outside.map(reason -> Decoded.invalid("field 'timestamp': " + reason)).orElseGet(() -> Decoded.valid(event));
    }

    /** "field 'value': must be a finite number, got NaN; field 'deviceId': is required". */
    private static String reason(InvalidEventsException e) {
        return e.violations().stream().map(KafkaEventDecoder::describe).collect(Collectors.joining("; "));
    }

    private static String describe(Violation v) {
        return v.field() == null ? v.reason() : "field '" + v.field() + "': " + v.reason();
    }

    /** Exactly one of {@code event} and {@code reason} is set. */
    public record Decoded(Event event, String reason) {
        static Decoded valid(Event event) {
            return new Decoded(event, null);
        }

        static Decoded invalid(String reason) {
            return new Decoded(null, reason);
        }

        public boolean isValid() {
            return event != null;
        }
    }
}
