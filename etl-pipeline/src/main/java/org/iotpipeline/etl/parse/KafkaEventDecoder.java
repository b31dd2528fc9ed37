package org.iotpipeline.etl.parse;

import java.time.Clock;
import java.time.Duration;
import java.util.stream.Collectors;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.iotpipeline.model.InvalidEventsException;
import org.iotpipeline.model.ValidationPolicy;
import org.iotpipeline.model.Violation;

/**
 * Reads the value of one Kafka record with the project's one parser, {@link EventCodec}, so the
 * ETL accepts exactly what the gateway accepts and names the same reasons when it does not.
 *
 * <p>The one rule left out is the future-skew check. A record in the topic was already accepted by
 * the gateway when it arrived; judging it against "now" again here would make the result depend
 * on when the ETL runs (a replay or a backfill days later would reject events that were valid when
 * sent). The codec is therefore built with a skew no timestamp can exceed.
 *
 * <p>Not thread-safe in the sense of sharing across Spark tasks by serialization: build one per
 * partition (it is cheap); the codec itself is thread-safe.
 */
public final class KafkaEventDecoder {

    /** Large enough that {@code now + skew} saturates at {@code Long.MAX_VALUE}: no timestamp is "in the future". */
    private static final Duration NO_FUTURE_LIMIT = Duration.ofMillis(Long.MAX_VALUE);

    private final EventCodec codec = new EventCodec(new ValidationPolicy(NO_FUTURE_LIMIT, Clock.systemUTC()));

    /**
     * The event in {@code value}, or the reason it is not one.
     *
     * @param value the record value; {@code null} for a tombstone
     */
    public Decoded decode(byte[] value) {
        if (value == null) {
            return Decoded.invalid("the record has no value (null); expected one event JSON object");
        }
        try {
            return Decoded.valid(codec.decodeOne(value));
        } catch (InvalidEventsException e) {
            return Decoded.invalid(reason(e));
        }
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
