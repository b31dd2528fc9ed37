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
 *   <li>The batch's events, each as a row of its window, are folded with the previous open
 *       windows per (window, device, metric) — the one Spark job over the streaming plan, written
 *       to the scratch directory.</li>
 *   <li>The watermark moves to {@code max(previous, newest clock time of the batch − lateness)},
 *       where an event's clock time is {@code min(its timestamp, its Kafka timestamp)} and a
 *       heartbeat's the time it carries.</li>
 *   <li>Most batches of a live stream carry no late event and close no window: the merged rows are
 *       moved into place as the new open-window snapshot ({@code live/measurements/b-<batch id>/})
 *       and the latest readings stay as they are — every event of them is in the open windows, and
 *       readers take the newest of both (docs/storage.md).</li>
 *   <li>Otherwise merged rows of windows that the new watermark passes go to staging: <b>final</b>
 *       rows, and <b>late</b> rows of windows that were final before this batch (readers and
 *       compaction fold those into the window's row). The rest are the new open windows. Rows leave
 *       the open windows only here, so the newest reading of every (device, metric) among the merged
 *       rows is folded into the previous latest readings, written as {@code live/latest/b-<batch id>/}.
 *       These three writes are independent Spark jobs and run side by side ({@link ConcurrentActions}).</li>
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
        Path mergedDir = new Path(scratchDir, "merged");
        long started = System.nanoTime();
        BatchFigures figures = rollUpIntoOpenWindows(mergedDir, previous);
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
        String snapshot = LiveArea.snapshotName(batchId);

        // Most batches of a live stream close no window and carry no late event: the merged rows are
        // the new open windows as written, and the latest readings stay as they are (readers take the
        // newest of them and of the open windows, docs/storage.md). One Spark job per batch.
        if (figures.lateEvents() == 0 && !mayCloseWindows(window, watermarkBefore, watermarkAfter)) {
            boolean moved;
            try {
                moved = live.adoptOpenWindows(mergedDir, snapshot);
            } catch (IOException e) { // e.g. a rename across viewfs mount points or HDFS encryption zones
                log.warn("batch {}: cannot rename the open windows into the live area ({}); copying them", batchId,
                        e.toString());
                moved = false;
            }
            if (!moved) {
                writeOpenWindows(readRows(mergedDir), snapshot); // Overwrite: replaces whatever is there
            }
            log.debug("batch {}: {} events; roll-up into the open windows {} ms, moved into place {} ms", batchId,
                    figures.events(), millis(rolledUp - started), millis(System.nanoTime() - rolledUp));
            return new Written(0, new StreamState(watermarkAfter, snapshot, previous.latest(), maxEventTime), 0);
        }

        // The merged rows feed three independent writes, run side by side: each reads them back
        // from the scratch directory (small next to the events, and cheaper to read than to cache
        // while three jobs want them at once).
        Dataset<Row> merged = readRows(mergedDir);
        // Windows final before this batch are not in the previous open windows (but for windows
        // of another length after a restart with a new window length, which turn final here):
        // their rows are this batch's own events, stored as late rows that readers and
        // compaction fold in.
        Column isFinal = col(MeasurementsSchema.WINDOW_END).leq(timestamp_millis(lit(watermarkAfter)));
        long[] written = ConcurrentActions.runAll(spark.sparkContext(), "batch " + batchId, List.of(
                () -> PartitionedOutput.writeRows(merged.filter(isFinal), staging, outputDir),
                () -> {
                    writeOpenWindows(merged.filter(isFinal.unary_$bang()), snapshot);
                    return 0;
                },
                () -> {
                    // Rows leave the open windows only here (final) or never enter them (late): fold
                    // the newest reading of each into the latest readings. One row per (device,
                    // metric): one file, written by one task.
                    LatestReadings.merge(latestReadings(previous), LatestReadings.lastOfEachRollup(merged))
                            .coalesce(1).write().mode(SaveMode.Overwrite).parquet(live.latestDir(snapshot).toString());
                    return 0;
                }));
        log.debug("batch {}: {} events; roll-up into the open windows {} ms, then final and late rows, open windows "
                        + "and latest readings side by side {} ms", batchId, figures.events(), millis(rolledUp - started),
                millis(System.nanoTime() - rolledUp));
        return new Written(written[0], new StreamState(watermarkAfter, snapshot, snapshot, maxEventTime),
                figures.lateEvents());
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

    /**
     * Step 1, the one job over the streaming plan: the batch's events, each as a row of its window,
     * folded with the previous open windows in one aggregation.
     */
    private BatchFigures rollUpIntoOpenWindows(Path mergedDir, StreamState previous) {
        Long watermarkBefore = previous.watermarkMs();
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
        Dataset<Row> events = Rollups.eachEvent(observed.filter(isEvent), EventRows.EVENT_TIME_MS, EventRows.VALUE, window);
        // Partition columns are derived after the fold, once per row rather than per event.
        Dataset<Row> open = openWindows(previous).select(MeasurementsSchema.dataColumns());
        Rollups.withDerivedPartitions(Rollups.merge(open.unionByName(events), false))
                .write().mode(SaveMode.Overwrite).parquet(mergedDir.toString());
        try {
            // The write has finished, so the observation is complete: this does not wait.
            Map<String, Object> metrics = observation.getAsJava();
            return new BatchFigures(asLong(metrics.get("max_clock_ms")), asLong(metrics.get("max_event_time_ms")),
                    ((Number) metrics.get("events")).longValue(), ((Number) metrics.get("late_events")).longValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the figures of " + mergedDir, e);
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
