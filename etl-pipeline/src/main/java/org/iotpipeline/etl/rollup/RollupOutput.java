package org.iotpipeline.etl.rollup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
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
import org.iotpipeline.store.MeasurementsSchema;
import org.iotpipeline.store.Rollups;

/**
 * One micro-batch of the measurements query: de-duplicated events (and heartbeats) in, rows of
 * table {@code measurements} out. Every event is stored, whatever its time (docs/storage.md):
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
 *       windows, written as one snapshot under the live root ({@code b-<batch id>/}), which the
 *       commit marker names.</li>
 * </ol>
 *
 * <p>A batch with no event that leaves the watermark where it was writes nothing and keeps the
 * previous snapshot. Snapshots older than the previous one are deleted: no marker that a future
 * batch can start from names them.
 */
public final class RollupOutput implements BatchOutput {

    private static final String SNAPSHOT_PREFIX = "b-";

    private final SparkSession spark;
    private final Dataset<Row> batch;
    private final Duration window;
    private final Duration lateness;
    private final OutputLayout staging;
    private final Path liveRoot;
    private final Configuration hadoopConf;

    /**
     * @param batch    the micro-batch: {@link EventRows} columns, events and heartbeats, de-duplicated
     * @param staging  layout of the staging tree (partitioning, files per hour)
     * @param liveRoot where open-window snapshots live
     */
    public RollupOutput(SparkSession spark, Dataset<Row> batch, Duration window, Duration lateness, OutputLayout staging,
                        String liveRoot, Configuration hadoopConf) {
        this.spark = Objects.requireNonNull(spark, "spark is null");
        this.batch = Objects.requireNonNull(batch, "batch is null");
        this.window = Objects.requireNonNull(window, "window is null");
        this.lateness = Objects.requireNonNull(lateness, "lateness is null");
        this.staging = Objects.requireNonNull(staging, "staging is null");
        this.liveRoot = new Path(Objects.requireNonNull(liveRoot, "liveRoot is null"));
        this.hadoopConf = Objects.requireNonNull(hadoopConf, "hadoopConf is null");
    }

    @Override
    public Written write(long batchId, Path outputDir, Path scratchDir, StreamState previous) throws IOException {
        Long watermarkBefore = previous.watermarkMs();
        Path partialsDir = new Path(scratchDir, "partials");
        BatchFigures figures = rollUpBatch(partialsDir, watermarkBefore);

        Long watermarkAfter = watermarkBefore;
        if (figures.maxClockMs() != null) {
            long candidate = figures.maxClockMs() - lateness.toMillis();
            watermarkAfter = watermarkBefore == null ? candidate : Math.max(watermarkBefore, candidate);
        }
        if (figures.events() == 0 && Objects.equals(watermarkAfter, watermarkBefore)) {
            return new Written(0, previous, 0);
        }

        Dataset<Row> partials = readRows(partialsDir);
        Column lateInBatch = watermarkBefore == null ? lit(false)
                : col(MeasurementsSchema.WINDOW_END).leq(timestamp_millis(lit(watermarkBefore)));
        Dataset<Row> late = partials.filter(lateInBatch);
        Dataset<Row> merged = Rollups.merge(openWindows(previous).unionByName(partials.filter(lateInBatch.unary_$bang())),
                true);
        Column isFinal = col(MeasurementsSchema.WINDOW_END).leq(timestamp_millis(lit(watermarkAfter)));

        long rows = PartitionedOutput.writeRows(late.unionByName(merged.filter(isFinal)), staging, outputDir);
        String snapshot = snapshotName(batchId);
        merged.filter(isFinal.unary_$bang()).write().mode(SaveMode.Overwrite).parquet(new Path(liveRoot, snapshot).toString());
        deleteSnapshotsBefore(previous.openWindows());
        return new Written(rows, new StreamState(watermarkAfter, snapshot), figures.lateEvents());
    }

    @Override
    public void discard() {
        batch.write().format("noop").mode(SaveMode.Overwrite).save();
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
                count(when(isEvent, true)).as("events"),
                count(when(isEvent.and(late), true)).as("late_events"));
        Rollups.fromEvents(observed.filter(isEvent), EventRows.EVENT_TIME_MS, EventRows.VALUE, window)
                .write().mode(SaveMode.Overwrite).parquet(partialsDir.toString());
        try {
            // The write has finished, so the observation is complete: this does not wait.
            Map<String, Object> metrics = observation.getAsJava();
            Object max = metrics.get("max_clock_ms");
            return new BatchFigures(max == null ? null : ((Number) max).longValue(),
                    ((Number) metrics.get("events")).longValue(), ((Number) metrics.get("late_events")).longValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the figures of " + partialsDir, e);
        }
    }

    private Dataset<Row> openWindows(StreamState previous) {
        if (previous.openWindows() == null) {
            return spark.createDataFrame(java.util.List.of(), MeasurementsSchema.WITH_PARTITIONS);
        }
        return readRows(new Path(liveRoot, previous.openWindows()));
    }

    private Dataset<Row> readRows(Path dir) {
        return spark.read().schema(MeasurementsSchema.WITH_PARTITIONS).parquet(dir.toString())
                .select(MeasurementsSchema.allColumns());
    }

    /** Deletes snapshot directories older than {@code keep} (which a redo of the next batch may still need). */
    private void deleteSnapshotsBefore(String keep) throws IOException {
        if (keep == null) {
            return;
        }
        long keepId = snapshotId(keep);
        FileSystem fs = liveRoot.getFileSystem(hadoopConf);
        for (FileStatus status : fs.listStatus(liveRoot)) {
            long id = snapshotId(status.getPath().getName());
            if (id >= 0 && id < keepId) {
                fs.delete(status.getPath(), true);
            }
        }
    }

    static String snapshotName(long batchId) {
        return SNAPSHOT_PREFIX + String.format(Locale.ROOT, "%09d", batchId);
    }

    /** The batch id in a snapshot directory name, or -1 for another name. */
    static long snapshotId(String name) {
        if (!name.startsWith(SNAPSHOT_PREFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(SNAPSHOT_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** What step 1 observed: newest clock time (null without rows), events, events of final windows. */
    private record BatchFigures(Long maxClockMs, long events, long lateEvents) {
    }
}
