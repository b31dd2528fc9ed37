package org.iotpipeline.etl.parse;

import java.sql.Timestamp;
import java.util.Iterator;
import java.util.Objects;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.iotpipeline.etl.idle.Heartbeats;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventHorizon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Kafka rows ({@code topic}, {@code value}, {@code timestamp}) into typed rows for the
 * measurements query: one row per record, classified by {@link #KIND}. Event-topic values are
 * decoded by {@link KafkaEventDecoder} (including the horizon, against the record's Kafka
 * timestamp); heartbeat-topic values by {@link Heartbeats}.
 *
 * <p>{@link #CLOCK_MS} is the time a row may move the watermark to: for an event
 * {@code min(event time, Kafka timestamp)} — an event stamped ahead of the moment it reached Kafka
 * (a device clock running fast) is stored in its own window but moves event time for nobody; for a
 * heartbeat the time it carries.
 *
 * <p>Invalid records are kept as {@link #INVALID} rows (so they can be counted) and dropped by the
 * query; the dead-letter query writes them out. A heartbeat value that cannot be read (only this
 * service writes that topic) is skipped with a warning.
 */
public final class EventRows implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 2L;
    private static final Logger log = LoggerFactory.getLogger(EventRows.class);

    public static final String KIND = "kind";
    public static final String DEVICE_ID = "device_id";
    public static final String METRIC_ID = "metric_id";
    public static final String EVENT_TIME_MS = "event_time_ms";
    public static final String VALUE = "value";
    public static final String CLOCK_MS = "clock_ms";

    /** A valid event. */
    public static final int EVENT = 0;
    /** A heartbeat: only {@link #EVENT_TIME_MS} and {@link #CLOCK_MS} are set. */
    public static final int HEARTBEAT = 1;
    /** A malformed (or out-of-horizon) record of the events topic: only {@link #KIND} is set. */
    public static final int INVALID = 2;

    public static final StructType SCHEMA = new StructType()
            .add(KIND, DataTypes.IntegerType, false)
            .add(DEVICE_ID, DataTypes.IntegerType, true)
            .add(METRIC_ID, DataTypes.IntegerType, true)
            .add(EVENT_TIME_MS, DataTypes.LongType, true)
            .add(VALUE, DataTypes.DoubleType, true)
            .add(CLOCK_MS, DataTypes.LongType, true);

    private static final Row INVALID_ROW = RowFactory.create(INVALID, null, null, null, null, null);

    private final String heartbeatTopic;
    private final EventHorizon horizon;

    /**
     * @param heartbeatTopic records of this topic are heartbeats; every other topic holds events
     * @param horizon        the configured event horizon (see {@link KafkaEventDecoder})
     */
    public EventRows(String heartbeatTopic, EventHorizon horizon) {
        this.heartbeatTopic = Objects.requireNonNull(heartbeatTopic, "heartbeatTopic is null");
        this.horizon = Objects.requireNonNull(horizon, "horizon is null");
    }

    /** Input columns, in this order: topic (string), value (binary), timestamp (timestamp). */
    @Override
    public Iterator<Row> call(Iterator<Row> records) {
        KafkaEventDecoder decoder = new KafkaEventDecoder(horizon);
        return new NonNullMappingIterator<>(records, record -> toRow(record, decoder));
    }

    /** The typed row of one Kafka record, or null for an unreadable heartbeat. */
    private Row toRow(Row record, KafkaEventDecoder decoder) {
        byte[] value = (byte[]) record.get(1);
        if (!heartbeatTopic.equals(record.getString(0))) {
            long kafkaMs = ((Timestamp) record.get(2)).getTime();
            KafkaEventDecoder.Decoded decoded = decoder.decode(value, kafkaMs);
            if (!decoded.isValid()) {
                return INVALID_ROW;
            }
            Event e = decoded.event();
            return RowFactory.create(EVENT, e.deviceId(), e.metricId(), e.timestamp(), e.value(),
                    Math.min(e.timestamp(), kafkaMs));
        }
        try {
            long time = Heartbeats.decode(value);
            return RowFactory.create(HEARTBEAT, null, null, time, null, time);
        } catch (NumberFormatException e) {
            log.warn("Skipping unreadable heartbeat on {}: {}", heartbeatTopic, e.getMessage());
            return null;
        }
    }
}
