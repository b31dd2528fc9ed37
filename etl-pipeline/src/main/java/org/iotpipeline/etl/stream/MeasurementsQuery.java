package org.iotpipeline.etl.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.window;
import static org.apache.spark.sql.functions.year;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
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
import org.iotpipeline.etl.parse.EventRows;

/**
 * The measurements query, top to bottom: Kafka (events + heartbeats) → decode → watermark →
 * drop heartbeats → de-duplicate → per (window, device, metric) aggregates → exactly-once Parquet
 * in {@code staging/measurements/year=/month=/day=/hour=/}.
 */
public final class MeasurementsQuery {

    /** Query name, also the name of its status section and metrics tag. */
    public static final String NAME = "measurements";
    /** Observed metrics of the decoded input, per batch (see {@link #windows}). */
    public static final String INPUT_METRICS = "measurements_input";

    public static final List<String> PARTITION_COLUMNS = List.of("year", "month", "day", "hour");

    private MeasurementsQuery() {
    }

    /**
     * The rows of the {@code measurements} table from Kafka rows: {@code window_start, window_end,
     * device_id, metric_id, event_count, value_sum, value_min, value_max, value_avg, year, month,
     * day, hour}; a window's row appears once the watermark passes the window's end.
     *
     * <p>Also observes {@value #INPUT_METRICS} per batch: {@code records} (events-topic records,
     * valid or not), {@code invalid}, {@code heartbeats}, {@code max_event_time_ms} (valid events only).
     */
    public static Dataset<Row> windows(Dataset<Row> kafkaRows, EtlSettings settings) {
        Dataset<Row> decoded = kafkaRows
                .select("topic", "value")
                .mapPartitions(new EventRows(settings.kafka().heartbeatTopic()), Encoders.row(EventRows.SCHEMA))
                .observe(INPUT_METRICS,
                        count(when(col(EventRows.KIND).notEqual(EventRows.HEARTBEAT), true)).as("records"),
                        count(when(col(EventRows.KIND).equalTo(EventRows.INVALID), true)).as("invalid"),
                        count(when(col(EventRows.KIND).equalTo(EventRows.HEARTBEAT), true)).as("heartbeats"),
                        max(when(col(EventRows.KIND).equalTo(EventRows.EVENT), col(EventRows.EVENT_TIME_MS)))
                                .as("max_event_time_ms"));

        Dataset<Row> timed = decoded
                .filter(col(EventRows.KIND).notEqual(EventRows.INVALID)) // the dead-letter query writes those
                .withColumn("event_time", timestamp_millis(col(EventRows.EVENT_TIME_MS)))
                .withWatermark("event_time", millis(settings.watermarkLateness()))
                .filter(dropHeartbeats());

        Dataset<Row> events = settings.dedupe()
                ? timed.dropDuplicatesWithinWatermark(EventRows.DEVICE_ID, EventRows.METRIC_ID, "event_time")
                : timed;

        return events
                .groupBy(window(col("event_time"), millis(settings.window())),
                        col(EventRows.DEVICE_ID), col(EventRows.METRIC_ID))
                .agg(count(lit(1)).as("event_count"),
                        sum(EventRows.VALUE).as("value_sum"),
                        min(EventRows.VALUE).as("value_min"),
                        max(EventRows.VALUE).as("value_max"))
                .select(col("window.start").as("window_start"),
                        col("window.end").as("window_end"),
                        col(EventRows.DEVICE_ID),
                        col(EventRows.METRIC_ID),
                        col("event_count"),
                        col("value_sum"),
                        col("value_min"),
                        col("value_max"),
                        col("value_sum").divide(col("event_count")).as("value_avg"),
                        year(col("window.start")).as("year"),
                        month(col("window.start")).as("month"),
                        dayofmonth(col("window.start")).as("day"),
                        hour(col("window.start")).as("hour"));
    }

    /**
     * Keeps events, drops heartbeats, AFTER they moved the watermark. The predicate must reference
     * the event-time column: Spark's optimizer pushes every filter conjunct that does not below the
     * watermark operator (PushPredicateThroughNonJoin), where heartbeats would never be seen.
     * Heartbeats always carry an event time, so "event_time IS NULL" is false for them.
     */
    private static Column dropHeartbeats() {
        return when(col(EventRows.KIND).equalTo(EventRows.HEARTBEAT), col("event_time").isNull()).otherwise(true);
    }

    /** The committer's layout for the measurements table. */
    public static OutputLayout layout(EtlSettings settings) {
        return new OutputLayout(NAME, settings.paths().staging(), "parquet", ".parquet", PARTITION_COLUMNS,
                List.of(EventRows.DEVICE_ID, EventRows.METRIC_ID), settings.filesPerHour(),
                settings.commitMarkersToRetain());
    }

    /**
     * Starts the query with the exactly-once committer as its sink. Both the events topic and the
     * heartbeat topic must exist ({@link org.iotpipeline.etl.EtlService} creates the latter).
     *
     * @param trigger  the service uses {@code ProcessingTime(trigger-interval)}; tests and benchmarks {@code AvailableNow}
     * @param faults   {@link FaultInjector#NONE} except in tests
     * @param onCommit told about every committed (or skipped) batch, on the query's thread
     */
    public static StreamingQuery start(SparkSession spark, EtlSettings settings, Trigger trigger, FaultInjector faults,
                                       Consumer<CommitOutcome> onCommit) throws TimeoutException {
        KafkaSource source = new KafkaSource(settings.kafka());
        Dataset<Row> rows = windows(source.read(spark, List.of(settings.kafka().topic(),
                settings.kafka().heartbeatTopic())), settings);
        BatchCommitter committer = new BatchCommitter(layout(settings), spark.sparkContext().hadoopConfiguration(), faults);
        return rows.writeStream()
                .queryName(NAME)
                .outputMode(OutputMode.Append())
                .trigger(trigger)
                .option("checkpointLocation", settings.paths().measurementsCheckpoint())
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) ->
                        onCommit.accept(committer.commit(batch, batchId)))
                .start();
    }

    static String millis(Duration d) {
        return d.toMillis() + " milliseconds";
    }
}
