package org.iotpipeline.etl.parse;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.Base64;
import java.util.Iterator;
import java.util.Objects;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.iotpipeline.model.EventHorizon;

/**
 * Keeps only the records {@link KafkaEventDecoder} rejects (malformed, or outside the event horizon), with everything needed to find,
 * understand and replay them: Kafka coordinates, the raw payload (as text and, exactly, as
 * base64) and the reason.
 */
public final class DeadLetterRows implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 2L;

    public static final StructType SCHEMA = new StructType()
            .add("topic", DataTypes.StringType, false)
            .add("partition", DataTypes.IntegerType, false)
            .add("offset", DataTypes.LongType, false)
            .add("kafka_timestamp", DataTypes.TimestampType, true)
            .add("key", DataTypes.StringType, true)
            .add("payload", DataTypes.StringType, true)
            .add("payload_base64", DataTypes.StringType, true)
            .add("reason", DataTypes.StringType, false);

    private final EventHorizon horizon;

    /** @param horizon the configured event horizon: records outside it are dead letters too */
    public DeadLetterRows(EventHorizon horizon) {
        this.horizon = Objects.requireNonNull(horizon, "horizon is null");
    }

    /** Input columns, in this order: topic, partition, offset, timestamp, key (binary), value (binary). */
    @Override
    public Iterator<Row> call(Iterator<Row> records) {
        KafkaEventDecoder decoder = new KafkaEventDecoder(horizon);
        return new NonNullMappingIterator<>(records, record -> {
            byte[] value = (byte[]) record.get(5);
            KafkaEventDecoder.Decoded decoded = decoder.decode(value, ((Timestamp) record.get(3)).getTime());
            return decoded.isValid() ? null : deadLetter(record, value, decoded.reason());
        });
    }

    private static Row deadLetter(Row record, byte[] value, String reason) {
        byte[] key = (byte[]) record.get(4);
        return RowFactory.create(
                record.getString(0),
                record.getInt(1),
                record.getLong(2),
                (Timestamp) record.get(3),
                key == null ? null : new String(key, StandardCharsets.UTF_8),
                value == null ? null : new String(value, StandardCharsets.UTF_8),
                value == null ? null : Base64.getEncoder().encodeToString(value),
                reason);
    }
}
