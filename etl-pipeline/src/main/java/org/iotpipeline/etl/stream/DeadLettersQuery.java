package org.iotpipeline.etl.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.iotpipeline.etl.EtlSettings;
import org.iotpipeline.etl.commit.BatchCommitter;
import org.iotpipeline.etl.commit.CommitOutcome;
import org.iotpipeline.etl.commit.FaultInjector;
import org.iotpipeline.etl.commit.OutputLayout;
import org.iotpipeline.etl.commit.PartitionedOutput;
import org.iotpipeline.etl.parse.DeadLetterRows;
import org.iotpipeline.model.EventHorizon;

/**
 * The dead-letter query: Kafka (events topic) → keep what the decoder rejects (malformed, or
 * outside the event horizon) → exactly-once JSON
 * lines in {@code dead-letters/date=YYYY-MM-DD/} (of the Kafka timestamp, UTC), each line with the
 * Kafka coordinates, the raw payload, the reason and the batch id.
 *
 * <p>A second, stateless query over the same topic rather than a side output of the measurements
 * query: a Spark query has one sink, and the measurements sink only sees aggregated rows. It reads
 * and decodes every record a second time; docs/perf-etl.md measures what that costs.
 */
public final class DeadLettersQuery {

    public static final String NAME = "dead-letters";

    private DeadLettersQuery() {
    }

    /** Rejected records of the events topic, with their Kafka coordinates and reason. */
    public static Dataset<Row> deadLetters(Dataset<Row> kafkaRows, EventHorizon horizon) {
        return kafkaRows
                .select("topic", "partition", "offset", "timestamp", "key", "value")
                .mapPartitions(new DeadLetterRows(horizon), Encoders.row(DeadLetterRows.SCHEMA))
                .withColumn("date", date_format(col("kafka_timestamp"), "yyyy-MM-dd"));
    }

    public static OutputLayout layout(EtlSettings settings) {
        return new OutputLayout(NAME, settings.paths().deadLetters(), "json", ".json", List.of("date"),
                List.of("topic", "partition"), 1, settings.commitMarkersToRetain());
    }

    /**
     * Starts the query with the exactly-once committer as its sink (JSON lines, one file per date
     * partition per batch), adding each row's {@code batch_id}.
     *
     * @param trigger  the service uses {@code ProcessingTime(trigger-interval)}; tests {@code AvailableNow}
     * @param faults   {@link FaultInjector#NONE} except in tests
     * @param onCommit told about every committed (or skipped) batch, on the query's thread
     */
    public static StreamingQuery start(SparkSession spark, EtlSettings settings, Trigger trigger, FaultInjector faults,
                                       Consumer<CommitOutcome> onCommit) throws TimeoutException {
        Dataset<Row> rows = deadLetters(new KafkaSource(settings.kafka()).read(spark, List.of(settings.kafka().topic())),
                settings.horizon());
        BatchCommitter committer = new BatchCommitter(layout(settings), spark.sparkContext().hadoopConfiguration(), faults);
        return rows.writeStream()
                .queryName(NAME)
                .outputMode(OutputMode.Append())
                .trigger(trigger)
                .option("checkpointLocation", settings.paths().deadLettersCheckpoint())
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) ->
                        onCommit.accept(committer.commit(batchId,
                                new PartitionedOutput(batch.withColumn("batch_id", lit(batchId)), committer.layout()))))
                .start();
    }
}
