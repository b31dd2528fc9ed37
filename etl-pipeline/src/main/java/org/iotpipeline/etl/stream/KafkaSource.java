package org.iotpipeline.etl.stream;

import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.iotpipeline.etl.EtlSettings;

/** Spark's Kafka source, configured from {@link EtlSettings.Kafka}. */
public final class KafkaSource {

    private final EtlSettings.Kafka kafka;

    public KafkaSource(EtlSettings.Kafka kafka) {
        this.kafka = Objects.requireNonNull(kafka, "kafka is null");
    }

    /** A streaming Dataset of Kafka rows (topic, partition, offset, timestamp, key, value, ...) of the given topics. */
    public Dataset<Row> read(SparkSession spark, List<String> topics) {
        DataStreamReader reader = spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", kafka.bootstrapServers())
                .option("subscribe", String.join(",", topics))
                .option("startingOffsets", kafka.startingOffsets())
                // Spark asks the broker for a partition's offset range after every fetch, on the
                // connection that still holds the consumer's prefetch at the log's end; the broker parks
                // that prefetch for fetch.max.wait.ms (Kafka's default 500 ms) before it answers the next
                // request. Every task reading the live end of a partition paid that wait.
                .option("kafka.fetch.max.wait.ms", kafka.fetchMaxWait().toMillis());
        if (kafka.maxOffsetsPerTrigger() > 0) {
            reader = reader.option("maxOffsetsPerTrigger", kafka.maxOffsetsPerTrigger());
        }
        return reader.options(kafka.sourceOptions()).load();
    }
}
