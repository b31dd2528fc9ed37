package org.iotpipeline.query.table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsSchema;
import org.iotpipeline.store.MeasurementsStore;
import org.iotpipeline.store.Rollups;
import org.iotpipeline.store.StoreSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the temporary view {@code measurements} of a SparkSession equal to the store's content:
 * the files {@link MeasurementsStore#snapshot()} names (each row exactly once, docs/storage.md),
 * read with a fixed schema, partition columns taken from the directory names.
 *
 * <p><b>Freshness.</b> {@link #refreshIfStale()} re-lists the store when the last listing is older
 * than the refresh interval, so a query sees files that appeared up to that interval before it
 * started. The view is only re-registered when the file list changed. {@link #refresh()} lists at
 * once (after a query failed on a file that a compaction deleted in the meantime).
 *
 * <p>Thread-safe: listings are serialized; queries that resolved the previous view keep reading
 * its files, which the store's writers keep for a grace period longer than any query.
 */
public final class MeasurementsTable {

    private static final Logger log = LoggerFactory.getLogger(MeasurementsTable.class);

    /** The columns stored in every Parquet file of both trees. */
    public static final StructType DATA_SCHEMA = MeasurementsSchema.DATA;

    /** The partition columns, from the directory names {@code year=/month=/day=/hour=} (UTC of window_start). */
    public static final List<String> PARTITION_COLUMNS = MeasurementsSchema.PARTITION_COLUMNS;

    /** The table's full schema: data columns, then partition columns. */
    public static final StructType SCHEMA = MeasurementsSchema.WITH_PARTITIONS;

    private final SparkSession spark;
    private final MeasurementsStore store;
    private final Duration refreshInterval;
    private final Clock clock;
    private volatile TableState state;

    public MeasurementsTable(SparkSession spark, MeasurementsStore store, Duration refreshInterval, Clock clock) {
        this.spark = spark;
        this.store = store;
        this.refreshInterval = refreshInterval;
        this.clock = clock;
    }

    /** The view's name. */
    public String name() {
        return MeasurementsStore.TABLE;
    }

    /** The state of the last successful listing, if there was one. */
    public Optional<TableState> state() {
        return Optional.ofNullable(state);
    }

    /**
     * Re-lists the store if the last listing is older than the refresh interval. If listing fails
     * but an older listing exists, keeps serving that one (logged); with none, throws.
     *
     * @throws UncheckedIOException if the store cannot be listed and was never listed
     */
    public TableState refreshIfStale() {
        TableState current = state;
        if (current != null && !isStale(current)) {
            return current;
        }
        synchronized (this) {
            current = state;
            if (current != null && !isStale(current)) {
                return current; // another query listed while we waited
            }
            try {
                return list();
            } catch (IOException | RuntimeException e) {
                if (current == null) {
                    throw e instanceof IOException io ? new UncheckedIOException(
                            "cannot list the store at " + store.stagingRoot() + " and " + store.warehouseRoot()
                                    + ": " + e.getMessage(), io) : (RuntimeException) e;
                }
                log.warn("Listing the store failed ({}); queries keep reading the listing of {}", e.toString(),
                        current.listedAt());
                return current;
            }
        }
    }

    /**
     * Lists the store now, whatever the age of the last listing.
     *
     * @throws UncheckedIOException if the store cannot be listed
     */
    public synchronized TableState refresh() {
        try {
            return list();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the store at " + store.stagingRoot() + " and "
                    + store.warehouseRoot() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs one query over the table that reads no file, so the first user query does not pay for
     * Spark's first job, class loading and code generation. Failures are only logged.
     */
    public void warmUp() {
        long start = System.nanoTime();
        try {
            spark.sql("SELECT count(*), max(value_max) FROM " + name() + " WHERE year < 0").collectAsList();
            log.info("Warmed up in {} ms", (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            log.warn("Warm-up query failed: {}", e.getMessage());
        }
    }

    private boolean isStale(TableState current) {
        return Duration.between(current.listedAt(), clock.instant()).compareTo(refreshInterval) >= 0;
    }

    private TableState list() throws IOException {
        Instant now = clock.instant();
        StoreSnapshot snapshot = store.snapshot();
        TableState previous = state;
        if (previous != null && previous.snapshot().equals(snapshot)) {
            state = previous.relisted(now);
            return state;
        }
        Dataset<Row> table = read(snapshot);
        table.createOrReplaceTempView(name());
        TableState next = new TableState(snapshot, now);
        state = next;
        log.info("Table {} now reads {} warehouse and {} staging files over {} hours", name(),
                snapshot.warehouseFiles().size(), snapshot.stagingFiles().size(), snapshot.hours().size());
        return next;
    }

    /**
     * Both trees with an explicit schema (no footer reads to infer it) and {@code basePath} set to
     * each root, so {@code year/month/day/hour} come from the directories and prune files.
     * Compacted hours (one row per key) are read as they are; the hours with staging files are
     * folded per (window, device, metric), so a window's final row and its late rows count once
     * (docs/storage.md). Both parts are hour-partitioned, so no key is in both.
     */
    private Dataset<Row> read(StoreSnapshot snapshot) {
        Set<Path> mergedHourDirs = new HashSet<>();
        for (HourPartition hour : snapshot.stagingHours()) {
            mergedHourDirs.add(store.warehouseHourDir(hour));
        }
        List<Path> compacted = new ArrayList<>();
        List<Path> warehouseToMerge = new ArrayList<>();
        for (Path file : snapshot.warehouseFiles()) {
            (mergedHourDirs.contains(file.getParent()) ? warehouseToMerge : compacted).add(file);
        }
        Dataset<Row> direct = readTree(store.warehouseRoot(), compacted);
        Dataset<Row> toMerge = union(readTree(store.warehouseRoot(), warehouseToMerge),
                readTree(store.stagingRoot(), snapshot.stagingFiles()));
        Dataset<Row> table = union(direct, toMerge == null ? null : Rollups.merge(toMerge, true));
        return table == null ? spark.createDataFrame(List.of(), SCHEMA) : table;
    }

    private static Dataset<Row> union(Dataset<Row> a, Dataset<Row> b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a.unionByName(b);
    }

    private Dataset<Row> readTree(Path root, List<Path> files) {
        if (files.isEmpty()) {
            return null;
        }
        String[] paths = files.stream().map(Path::toString).toArray(String[]::new);
        return spark.read().schema(SCHEMA).option("basePath", root.toString()).parquet(paths)
                .select(columns());
    }

    private static org.apache.spark.sql.Column[] columns() {
        return java.util.Arrays.stream(SCHEMA.fieldNames()).map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new);
    }
}
