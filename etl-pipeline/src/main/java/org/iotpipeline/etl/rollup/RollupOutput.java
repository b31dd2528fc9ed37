package org.iotpipeline.etl.rollup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.iotpipeline.etl.commit.BatchOutput;
import org.iotpipeline.etl.commit.OutputLayout;
import org.iotpipeline.etl.commit.PartitionedOutput;
import org.iotpipeline.etl.commit.StreamState;
import org.iotpipeline.etl.parse.EventRows;
import org.iotpipeline.store.LatestReadings;
import org.iotpipeline.store.LiveArea;
import org.iotpipeline.store.LivePointer;
import org.iotpipeline.store.MeasurementsSchema;
import org.iotpipeline.store.Rollups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One micro-batch of the measurements query: de-duplicated events (and heartbeats) in, rows of
 * table {@code measurements} and the live area out. Every event is stored, whatever its time
 * (docs/storage.md):
 *
 * <ol>
 *   <li>The batch's events are rolled up per (window, device, metric) into partial rows — the one
 *       Spark job over the streaming plan (written to the scratch directory).</li>
 *   <li>The watermark moves to {@code max(previous, newest clock time of the batch − lateness)},
 *       where an event's clock time is {@code min(its timestamp, its Kafka timestamp)} and a
 *       heartbeat's the time it carries.</li>
 *   <li><b>Late rows:</b> partial rows of windows that were already final before this batch (end
 *       at or before the previous watermark) go to staging as they are: readers and compaction
 *       fold them into the window's row.</li>
 *   <li>The other partial rows are merged with the open windows of the previous batch. Windows
 *       that the new watermark passes are <b>final</b> and go to staging; the rest are the new open
 *       windows, written as a live-area snapshot ({@code live/measurements/b-<batch id>/}).</li>
 *   <li>Only in a batch that wrote to staging (late rows, or windows turned final): the newest
 *       reading of every (device, metric) among those rows and the open windows is folded into the
 *       previous latest readings and written as {@code live/latest/b-<batch id>/}. Every other
 *       event is in the open windows, so readers take the newest of both (docs/storage.md); most
 *       batches of a live stream thus run one Spark job after the roll-up, not four.</li>
 * </ol>
 *
 * <p>The commit marker names both snapshots; once it is written, {@link #committed} publishes the
 * live-area pointer readers follow and deletes snapshots superseded more than {@code grace} ago.
 * A batch with no event that leaves the watermark where it was writes nothing and keeps the
 * previous snapshots.
 */
public final class RollupOutput implements BatchOutput {

    private static final Logger log = LoggerFactory.getLogger(RollupOutput.class);

    private final SparkSession spark;
    private final Dataset<Row> batch;
    private final Duration window;
    private final Duration lateness;
    private final OutputLayout staging;
    private final LiveArea live;
    private final Duration grace;
    private final Clock clock;

    /**
     * @param batch   the micro-batch: {@link EventRows} columns, events and heartbeats, de-duplicated
     * @param staging layout of the staging tree (partitioning, files per hour)
     * @param live    where open windows and latest readings live
     * @param grace   how long a superseded snapshot stays for readers that chose it
     */
    public RollupOutput(SparkSession spark, Dataset<Row> batch, Duration window, Duration lateness, OutputLayout staging,
                        LiveArea live, Duration grace, Clock clock) {
        this.spark = Objects.requireNonNull(spark, "spark is null");
        this.batch = Objects.requireNonNull(batch, "batch is null");
        this.window = Objects.requireNonNull(window, "window is null");
        this.lateness = Objects.requireNonNull(lateness, "lateness is null");
        this.staging = Objects.requireNonNull(staging, "staging is null");
        this.live = Objects.requireNonNull(live, "live is null");
        this.grace = Objects.requireNonNull(grace, "grace is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    @Override
    public Written write(long batchId, Path outputDir, Path scratchDir, StreamState previous) throws IOException {
        Long watermarkBefore = previous.watermarkMs();
        Path partialsDir = new Path(scratchDir, "partials");
        long started = System.nanoTime();
        BatchFigures figures = rollUpBatch(partialsDir, watermarkBefore);
        long rolledUp = System.nanoTime();

        Long watermarkAfter = watermarkBefore;
        if (figures.maxClockMs() != null) {
            long candidate = figures.maxClockMs() - lateness.toMillis();
            watermarkAfter = watermarkBefore == null ? candidate : Math.max(watermarkBefore, candidate);
        }
        Long maxEventTime = newest(previous.maxEventTimeMs(), figures.maxEventTimeMs());
        if (figures.events() == 0 && Objects.equals(watermarkAfter, watermarkBefore)) {
            return new Written(0, previous, 0);
        }

        // Most batches of a live stream close no window and carry no late event. Such a batch
        // writes nothing to staging and leaves the latest readings as they are (readers take the
        // newest of them and of the open windows, docs/storage.md): one job after the roll-up.
        boolean toStaging = figures.lateEvents() > 0 || mayCloseWindows(window, watermarkBefore, watermarkAfter);
        // A batch that does write to staging uses the partial rows in three writes and the merged
        // rows in two: it keeps each in memory (spilling to disk for a big backfill batch) instead of
        // reading and shuffling them again per write.
        Dataset<Row> partials = readRows(partialsDir);
        if (toStaging) {
            partials = partials.persist(StorageLevel.MEMORY_AND_DISK());
        }
        Dataset<Row> merged = null;
        try {
            Column lateInBatch = watermarkBefore == null ? lit(false)
                    : col(MeasurementsSchema.WINDOW_END).leq(timestamp_millis(lit(watermarkBefore)));
            // The roll-up gave one partial row per key, so a window the previous snapshot cannot hold
            // is already final-shaped: only the others are folded into the open windows, which keeps
            // the shuffle to the few newest windows even when a backfill batch spans days.
            Column mayBeOpen = mayBeInSnapshot(previous);
            Dataset<Row> current = figures.lateEvents() > 0 ? partials.filter(lateInBatch.unary_$bang()) : partials;
            merged = Rollups.merge(openWindows(previous).unionByName(current.filter(mayBeOpen)), true)
                    .unionByName(current.filter(mayBeOpen.unary_$bang()));
            String snapshot = LiveArea.snapshotName(batchId);
            String latest = previous.latest();
            long rows = 0;
            long wroteFinal;
            if (toStaging) {
                merged = merged.persist(StorageLevel.MEMORY_AND_DISK());
                Column isFinal = col(MeasurementsSchema.WINDOW_END).leq(timestamp_millis(lit(watermarkAfter)));
                Dataset<Row> late = partials.filter(lateInBatch);
                rows = PartitionedOutput.writeRows(late.unionByName(merged.filter(isFinal)), staging, outputDir);
                wroteFinal = System.nanoTime();
                writeOpenWindows(merged.filter(isFinal.unary_$bang()), snapshot);
                // Rows leave the open windows only here (final) or never enter them (late): fold the
                // newest reading of each into the latest readings. One row per (device, metric): one
                // file, written by one task.
                latest = snapshot;
                LatestReadings.merge(latestReadings(previous), LatestReadings.lastOfEachRollup(late.unionByName(merged)))
                        .coalesce(1).write().mode(SaveMode.Overwrite).parquet(live.latestDir(latest).toString());
            } else {
                wroteFinal = System.nanoTime();
                writeOpenWindows(merged, snapshot); // nothing is final: see mayCloseWindows
            }
            log.debug("batch {}: {} events; roll-up {} ms, final and late rows {} ms, open windows and latest readings {} ms",
                    batchId, figures.events(), millis(rolledUp - started), millis(wroteFinal - rolledUp),
                    millis(System.nanoTime() - wroteFinal));
            return new Written(rows, new StreamState(watermarkAfter, snapshot, latest, maxEventTime), figures.lateEvents());
        } finally {
            if (merged != null) {
                merged.unpersist(false);
            }
            partials.unpersist(false);
        }
    }

    private void writeOpenWindows(Dataset<Row> rows, String snapshot) {
        rows.write().mode(SaveMode.Overwrite).parquet(live.openWindowsDir(snapshot).toString());
    }

    @Override
    public void discard() {
        batch.write().format("noop").mode(SaveMode.Overwrite).save();
    }

    /** Publishes the live-area pointer of the committed batch, then deletes what it superseded long enough ago. */
    @Override
    public void committed(long batchId, StreamState state) throws IOException {
        LivePointer pointer = new LivePointer(batchId, state.watermarkMs(), state.maxEventTimeMs(), state.openWindows(),
                state.latest(), window.toMillis(), clock.millis());
        live.publish(pointer);
        live.deleteSuperseded(pointer, grace, clock.instant());
    }

    /** Step 1: the one job over the streaming plan. */
    private BatchFigures rollUpBatch(Path partialsDir, Long watermarkBefore) {
        long windowMs = window.toMillis();
        Column isEvent = col(EventRows.KIND).equalTo(EventRows.EVENT);
        Column time = col(EventRows.EVENT_TIME_MS);
        Column windowEnd = time.minus(pmod(time, lit(windowMs))).plus(lit(windowMs));
        Column late = watermarkBefore == null ? lit(false) : windowEnd.leq(lit(watermarkBefore));
        Observation observation = new Observation("rollup-input");
        Dataset<Row> observed = batch.observe(observation,
                max(col(EventRows.CLOCK_MS)).as("max_clock_ms"),
                max(when(isEvent, time)).as("max_event_time_ms"),
                count(when(isEvent, true)).as("events"),
                count(when(isEvent.and(late), true)).as("late_events"));
        Rollups.fromEvents(observed.filter(isEvent), EventRows.EVENT_TIME_MS, EventRows.VALUE, window)
                .write().mode(SaveMode.Overwrite).parquet(partialsDir.toString());
        try {
            // The write has finished, so the observation is complete: this does not wait.
            Map<String, Object> metrics = observation.getAsJava();
            return new BatchFigures(asLong(metrics.get("max_clock_ms")), asLong(metrics.get("max_event_time_ms")),
                    ((Number) metrics.get("events")).longValue(), ((Number) metrics.get("late_events")).longValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the figures of " + partialsDir, e);
        }
    }

    /**
     * Whether a window can turn final between the two watermarks. Every row that is not late has a
     * window ending after {@code before} (the previous snapshot's windows too: what {@code before}
     * passed went to staging), and windows end at multiples of the window length (aligned to the
     * epoch), so none can turn final unless such a multiple lies in {@code (before, after]}.
     * Without a previous watermark anything may. (After a restart with another window length, open
     * windows of the old length turn final at the next boundary of the new one: later, never lost.)
     */
    static boolean mayCloseWindows(Duration window, Long before, Long after) {
        if (before == null) {
            return after != null;
        }
        long windowMs = window.toMillis();
        return Math.floorDiv(after, windowMs) > Math.floorDiv(before, windowMs);
    }

    /**
     * Rows whose window may be in the previous open-window snapshot: every event in it is at or before
     * the newest event time recorded with it, so no later window can be. Without that time (nothing
     * read yet), everything is folded: always correct, only slower.
     */
    private Column mayBeInSnapshot(StreamState previous) {
        if (previous.openWindows() == null) {
            return lit(false); // no snapshot to fold into
        }
        Long newest = previous.maxEventTimeMs();
        if (newest == null) {
            return lit(true);
        }
        long newestWindowStart = newest - Math.floorMod(newest, window.toMillis());
        return col(MeasurementsSchema.WINDOW_START).leq(timestamp_millis(lit(newestWindowStart)));
    }

    private Dataset<Row> openWindows(StreamState previous) {
        if (previous.openWindows() == null) {
            return spark.createDataFrame(List.of(), MeasurementsSchema.WITH_PARTITIONS);
        }
        return readRows(live.openWindowsDir(previous.openWindows()));
    }

    private Dataset<Row> latestReadings(StreamState previous) {
        if (previous.latest() == null) {
            return spark.createDataFrame(List.of(), LatestReadings.SCHEMA);
        }
        return spark.read().schema(LatestReadings.SCHEMA).parquet(live.latestDir(previous.latest()).toString());
    }

    private Dataset<Row> readRows(Path dir) {
        return spark.read().schema(MeasurementsSchema.WITH_PARTITIONS).parquet(dir.toString())
                .select(MeasurementsSchema.allColumns());
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static Long asLong(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    private static Long newest(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.max(a, b);
    }

    /** What step 1 observed: newest clock time and event time (null without rows), events, events of final windows. */
    private record BatchFigures(Long maxClockMs, Long maxEventTimeMs, long events, long lateEvents) {
    }
}
