package org.iotpipeline.etl.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
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
import org.iotpipeline.etl.parse.EventRows;
import org.iotpipeline.etl.rollup.RollupOutput;
import org.iotpipeline.store.LiveArea;
import org.iotpipeline.store.MeasurementsSchema;

/**
 * The measurements query, top to bottom: Kafka (events + heartbeats) → decode (with the event
 * horizon) → de-duplicate within the dedupe window → per micro-batch, {@link RollupOutput}: roll
 * up, fold into the open windows, write final and late rows exactly once to
 * {@code staging/measurements/year=/month=/day=/hour=/} and the open windows to the live area.
 *
 * <p>No Spark event-time watermark is involved, so Spark drops no event as late: the only
 * stateful operator is the de-duplication, whose state expires by processing time (the
 * {@code arrival} column is the micro-batch's timestamp, so no row is ever behind its watermark).
 * The event-time watermark that decides when a window is final is ours, recorded in each commit
 * marker ({@link org.iotpipeline.etl.commit.StreamState}).
 */
public final class MeasurementsQuery {

    /** Query name, also the name of its status section and metrics tag. */
    public static final String NAME = "measurements";
    /** Observed metrics of the decoded input, per batch (see {@link #events}). */
    public static final String INPUT_METRICS = "measurements_input";

    private static final String ARRIVAL = "arrival";

    private MeasurementsQuery() {
    }

    /**
     * Valid events and heartbeats ({@link EventRows} columns) from Kafka rows, de-duplicated on
     * (device, metric, timestamp) when {@code dedupe} is on.
     *
     * <p>Also observes {@value #INPUT_METRICS} per batch: {@code records} (events-topic records,
     * valid or not), {@code invalid}, {@code heartbeats}, {@code max_event_time_ms} (valid events only).
     */
    public static Dataset<Row> events(Dataset<Row> kafkaRows, EtlSettings settings) {
        Dataset<Row> decoded = kafkaRows
                .select("topic", "value", "timestamp")
                .mapPartitions(new EventRows(settings.kafka().heartbeatTopic(), settings.horizon()),
                        Encoders.row(EventRows.SCHEMA))
                .observe(INPUT_METRICS,
                        count(when(col(EventRows.KIND).notEqual(EventRows.HEARTBEAT), true)).as("records"),
                        count(when(col(EventRows.KIND).equalTo(EventRows.INVALID), true)).as("invalid"),
                        count(when(col(EventRows.KIND).equalTo(EventRows.HEARTBEAT), true)).as("heartbeats"),
                        max(when(col(EventRows.KIND).equalTo(EventRows.EVENT), col(EventRows.EVENT_TIME_MS)))
                                .as("max_event_time_ms"));

        Dataset<Row> valid = decoded.filter(col(EventRows.KIND).notEqual(EventRows.INVALID)); // dead letters: the other query
        if (!settings.dedupe()) {
            return valid;
        }
        // The watermark of the de-duplication is processing time: every row of a micro-batch gets
        // the batch's timestamp, so no row is ever late, and a key is forgotten dedupe-window after
        // it was first read. (Heartbeats pass too: their key has no device.)
        return valid
                .withColumn(ARRIVAL, current_timestamp())
                .withWatermark(ARRIVAL, millis(settings.dedupeWindow()))
                .dropDuplicatesWithinWatermark(EventRows.KIND, EventRows.DEVICE_ID, EventRows.METRIC_ID,
                        EventRows.EVENT_TIME_MS)
                .drop(ARRIVAL);
    }

    /** The committer's layout for the measurements table. */
    public static OutputLayout layout(EtlSettings settings) {
        return new OutputLayout(NAME, settings.paths().staging(), "parquet", ".parquet",
                MeasurementsSchema.PARTITION_COLUMNS, List.of(EventRows.DEVICE_ID, EventRows.METRIC_ID),
                settings.filesPerHour(), settings.commitMarkersToRetain());
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
        Dataset<Row> rows = events(source.read(spark, List.of(settings.kafka().topic(),
                settings.kafka().heartbeatTopic())), settings);
        OutputLayout layout = layout(settings);
        BatchCommitter committer = new BatchCommitter(layout, spark.sparkContext().hadoopConfiguration(), faults);
        LiveArea live;
        try {
            live = LiveArea.open(settings.paths().live(), spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the live area at " + settings.paths().live(), e);
        }
        return rows.writeStream()
                .queryName(NAME)
                .outputMode(OutputMode.Append())
                .trigger(trigger)
                .option("checkpointLocation", settings.paths().measurementsCheckpoint())
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) -> onCommit.accept(
                        committer.commit(batchId, new RollupOutput(batch.sparkSession(), batch, settings.window(),
                                settings.watermarkLateness(), layout, live, settings.compaction().grace(),
                                Clock.systemUTC()))))
                .start();
    }

    static String millis(Duration d) {
        return d.toMillis() + " milliseconds";
    }
}
