package org.iotpipeline.etl.parse;

import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.iotpipeline.etl.idle.Heartbeats;
import org.iotpipeline.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Kafka rows ({@code topic}, {@code value}) into typed rows for the measurements query:
 * one row per record, classified by {@link #KIND}. Event-topic values are decoded by
 * {@link KafkaEventDecoder}; heartbeat-topic values by {@link Heartbeats}.
 *
 * <p>Invalid records are kept as {@link #INVALID} rows (so they can be counted) and dropped by the
 * query; the dead-letter query writes them out. A heartbeat value that cannot be read (only this
 * service writes that topic) is skipped with a warning.
 */
public final class EventRows implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(EventRows.class);

    public static final String KIND = "kind";
    public static final String DEVICE_ID = "device_id";
    public static final String METRIC_ID = "metric_id";
    public static final String EVENT_TIME_MS = "event_time_ms";
    public static final String VALUE = "value";

    /** A valid event. */
    public static final int EVENT = 0;
    /** A heartbeat: only {@link #EVENT_TIME_MS} is set. */
    public static final int HEARTBEAT = 1;
    /** A malformed record of the events topic: only {@link #KIND} is set. */
    public static final int INVALID = 2;

    public static final StructType SCHEMA = new StructType()
            .add(KIND, DataTypes.IntegerType, false)
            .add(DEVICE_ID, DataTypes.IntegerType, true)
            .add(METRIC_ID, DataTypes.IntegerType, true)
            .add(EVENT_TIME_MS, DataTypes.LongType, true)
            .add(VALUE, DataTypes.DoubleType, true);

    private static final Row INVALID_ROW = RowFactory.create(INVALID, null, null, null, null);

    private final String heartbeatTopic;

    /** @param heartbeatTopic records of this topic are heartbeats; every other topic holds events */
    public EventRows(String heartbeatTopic) {
        this.heartbeatTopic = heartbeatTopic;
    }

    /** Input columns, in this order: topic (string), value (binary). */
    @Override
    public Iterator<Row> call(Iterator<Row> records) {
        KafkaEventDecoder decoder = new KafkaEventDecoder();
        return new NonNullMappingIterator<>(records, record -> toRow(record, decoder));
    }

    /** The typed row of one Kafka record, or null for an unreadable heartbeat. */
    private Row toRow(Row record, KafkaEventDecoder decoder) {
        byte[] value = (byte[]) record.get(1);
        if (!heartbeatTopic.equals(record.getString(0))) {
            return toRow(decoder.decode(value));
        }
        try {
            return RowFactory.create(HEARTBEAT, null, null, Heartbeats.decode(value), null);
        } catch (NumberFormatException e) {
            log.warn("Skipping unreadable heartbeat on {}: {}", heartbeatTopic, e.getMessage());
            return null;
        }
    }

    private static Row toRow(KafkaEventDecoder.Decoded decoded) {
        if (!decoded.isValid()) {
            return INVALID_ROW;
        }
        Event e = decoded.event();
        return RowFactory.create(EVENT, e.deviceId(), e.metricId(), e.timestamp(), e.value());
    }
}
