package org.iotpipeline.store;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables readers see, built from one {@link Listing} of the store (docs/storage.md):
 *
 * <ul>
 *   <li>{@code measurements} — the final rows: compacted hours as they are, hours with staging
 *       files folded per (window, device, metric), so late rows count once with their window.</li>
 *   <li>{@code measurements_live} — the same plus the windows that are not final yet, from the
 *       live area, with a boolean column {@code final}. A window appears once at every moment: a
 *       provisional row is left out when the final rows already hold its key (the window became
 *       final after the pointer was read; its final row holds every event of the provisional
 *       one).</li>
 *   <li>{@code latest_readings} — the newest reading of every (device, metric): the newest of the
 *       live area's latest readings (rewritten by the ETL only when rows turn final or arrive late)
 *       and the last reading of each open window.</li>
 * </ul>
 *
 * <p>And the coarser tiers {@code measurements_1h} and {@code measurements_1d} ({@link Tier}): the
 * files their current manifests list, one row per (hour or day, device, metric).
 *
 * <p>A listing reads the live pointer <em>before</em> the store: a pointer is published only after
 * its batch's files are in place, so the listing then holds every final row the pointer's open
 * windows have given up. Without a live area (the ETL never ran) {@code measurements_live} is
 * {@code measurements} and {@code latest_readings} is empty.
 */
public final class TableReader {

    private static final Logger log = LoggerFactory.getLogger(TableReader.class);

    // Spark's Parquet reader without a configuration copy per file for scans without filters: a
    // scan of the 30-day store opens 720 files (docs/perf-query.md).
    private static final String PARQUET = org.iotpipeline.store.parquet.SharedConfParquetFormat.class.getName();

    public static final String MEASUREMENTS = MeasurementsStore.TABLE;
    public static final String MEASUREMENTS_LIVE = "measurements_live";
    public static final String FINAL = "final";

    /** The schema of {@code measurements_live}: the table's columns and {@code final}. */
    public static final StructType LIVE_SCHEMA = MeasurementsSchema.WITH_PARTITIONS.add(FINAL, DataTypes.BooleanType, false);

    private final SparkSession spark;
    private final MeasurementsStore store;
    private final Optional<LiveArea> live;
    private final Optional<LiveRowsOnDriver> onDriver;

    /** @param live the live area, if the deployment has one */
    public TableReader(SparkSession spark, MeasurementsStore store, Optional<LiveArea> live) {
        this(spark, store, live, 0);
    }

    /**
     * @param live             the live area, if the deployment has one
     * @param liveRowsOnDriver up to how many rows per part the small parts of the live tables are
     *                         computed in the driver's memory when a listing is read
     *                         ({@link LiveRowsOnDriver}); beyond that, and with 0, by Spark in queries
     */
    public TableReader(SparkSession spark, MeasurementsStore store, Optional<LiveArea> live, int liveRowsOnDriver) {
        this.spark = Objects.requireNonNull(spark, "spark is null");
        this.store = Objects.requireNonNull(store, "store is null");
        this.live = Objects.requireNonNull(live, "live is null");
        if (liveRowsOnDriver < 0) {
            throw new IllegalArgumentException("liveRowsOnDriver must not be negative, was " + liveRowsOnDriver);
        }
        this.onDriver = liveRowsOnDriver == 0 ? Optional.empty() : Optional.of(new LiveRowsOnDriver(liveRowsOnDriver));
    }

    /**
     * Every root the tables read files under: the 5-minute trees, both tiers and the live area. A
     * query guard allows file relations under these and nothing else.
     */
    public List<Path> roots() {
        List<Path> roots = new ArrayList<>(List.of(store.stagingRoot(),
                store.warehouseRoot(), TierStore.of(store, Tier.HOURLY).root(), TierStore.of(store, Tier.DAILY).root()));
        live.ifPresent(area -> roots.add(area.root()));
        return List.copyOf(roots);
    }

    /** The current live pointer alone (one small file): whether the ETL committed since a listing. */
    public Optional<LivePointer> livePointer() throws IOException {
        return live.isPresent() ? live.get().current() : Optional.empty();
    }

    /** Lists the live pointer, then the store, then the tiers. */
    public Listing list() throws IOException {
        Optional<LivePointer> pointer = livePointer();
        StoreSnapshot snapshot = store.snapshot();
        return new Listing(pointer, snapshot, TierStore.of(store, Tier.HOURLY).snapshot(),
                TierStore.of(store, Tier.DAILY).snapshot());
    }

    /** The tables over one listing. Spark reads no file until a query runs. */
    public Tables read(Listing listing) {
        return read(listing, Optional.empty());
    }

    /**
     * The tables over one listing, reusing the tables of an earlier listing where the files are the
     * same: when only the live pointer moved (every micro-batch), only the live tables are new, and
     * Spark neither looks up the store's files again nor analyses their plans again.
     */
    public Tables read(Listing listing, Optional<Tables> earlier) {
        StoreSnapshot snapshot = listing.snapshot();
        Optional<LivePointer> pointer = live.isPresent() ? listing.pointer() : Optional.empty();
        Optional<Set<HourPartition>> openHours = pointer.flatMap(p -> hoursOfOpenWindows(snapshot, p));
        FinalRows finalRows = earlier.map(Tables::finalRows)
                .filter(rows -> rows.snapshot().equals(snapshot) && rows.openHours().equals(openHours))
                .orElseGet(() -> finalRows(snapshot, openHours, earlier.map(Tables::finalRows)));
        Dataset<Row> measurements = finalRows.table();
        Dataset<Row> finals = measurements.withColumn(FINAL, lit(true));
        Dataset<Row> measurementsLive = finals;
        Dataset<Row> latest = spark.createDataFrame(List.of(), LatestReadings.SCHEMA);
        // In order: a part is kept in memory before the parts read from it (Spark plans them then).
        List<Dataset<Row>> small = new ArrayList<>();
        if (finalRows.ofOpenHoursOnDriver().isEmpty()) {
            finalRows.ofOpenHours().ifPresent(small::add);
        }
        Optional<DriverRows> driverRows = Optional.empty();
        Optional<String> latestTooLargeForDriver = Optional.empty();
        if (pointer.isPresent()) {
            LiveArea area = live.get();
            String latestName = pointer.get().latest();
            Optional<Dataset<Row>> latestFiles = Optional.ofNullable(latestName)
                    .map(name -> spark.read().schema(LatestReadings.SCHEMA).parquet(area.latestDir(name).toString()));
            latest = latestFiles.orElse(latest);
            if (pointer.get().openWindows() != null) {
                Dataset<Row> open = spark.read().schema(MeasurementsSchema.WITH_PARTITIONS)
                        .parquet(area.openWindowsDir(pointer.get().openWindows()).toString())
                        .select(MeasurementsSchema.allColumns());
                boolean latestTooLarge = latestName != null
                        && earlier.flatMap(Tables::latestTooLargeForDriver).filter(latestName::equals).isPresent();
                if (openHours.isPresent() && onDriver.isPresent() && !latestTooLarge) {
                    DriverAttempt attempt = driverRows(onDriver.get(), open, finalRows, snapshot,
                            openWindowsFrom(pointer.get()), latestName, latestFiles, earlier);
                    driverRows = attempt.rows();
                    latestTooLargeForDriver = attempt.latestTooLarge();
                } else if (latestTooLarge) {
                    latestTooLargeForDriver = Optional.of(latestName);
                }
                if (driverRows.isPresent()) {
                    DriverRows rows = driverRows.get();
                    measurementsLive = finals.unionByName(spark.createDataFrame(
                            LiveRowsOnDriver.provisional(rows.openWindows(), rows.finalKeys()), LIVE_SCHEMA));
                    latest = spark.createDataFrame(LiveRowsOnDriver.newest(rows.latest(), rows.openWindows()),
                            LatestReadings.SCHEMA);
                } else {
                    Dataset<Row> finalKeys = (openHours.isEmpty() ? finalRowsAsWritten(snapshot)
                            : finalRows.ofOpenHours().orElseGet(this::noRows)).select(keyColumns());
                    Dataset<Row> provisional = open.join(finalKeys, MeasurementsSchema.KEY_SEQ, "left_anti")
                            .withColumn(FINAL, lit(false));
                    measurementsLive = finals.unionByName(provisional);
                    small.add(provisional);
                    // The ETL rewrites the latest readings only when rows leave the open windows (turn
                    // final) or bypass them (late): newer readings are in the open windows.
                    latest = LatestReadings.merge(latest, LatestReadings.lastOfEachRollup(open));
                }
            }
            if (driverRows.isEmpty()) {
                small.add(latest);
            }
        }
        Dataset<Row> hourly = earlier.filter(tables -> tables.listing().hourlyFiles().equals(listing.hourlyFiles()))
                .map(Tables::hourly).orElseGet(() -> tier(Tier.HOURLY, listing.hourlyFiles()));
        Dataset<Row> daily = earlier.filter(tables -> tables.listing().dailyFiles().equals(listing.dailyFiles()))
                .map(Tables::daily).orElseGet(() -> tier(Tier.DAILY, listing.dailyFiles()));
        return new Tables(measurements, measurementsLive, latest, hourly, daily, List.copyOf(small), finalRows,
                listing, driverRows, latestTooLargeForDriver);
    }

    /**
     * The rows the driver computes the live parts from, reusing an earlier listing's final keys
     * while its final rows are the same, and its latest readings while the pointer names the same
     * snapshot of them; no rows when a part has too many, or reading one failed (then Spark's plan
     * computes them in each query, as without the driver).
     *
     * <p>Only the keys of windows that start where the open windows start can be an open window's:
     * at watermark − window, or earlier where a window of an earlier run's longer window length is
     * still open; then the keys are read from every final row.
     */
    private DriverAttempt driverRows(LiveRowsOnDriver driver, Dataset<Row> open, FinalRows finalRows,
                                     StoreSnapshot snapshot, long openFrom, String latestName,
                                     Optional<Dataset<Row>> latestFiles, Optional<Tables> earlier) {
        try {
            Optional<List<Row>> openRows = driver.collect(open);
            if (openRows.isEmpty()) {
                return new DriverAttempt(Optional.empty(), Optional.empty());
            }
            Optional<DriverRows> before = earlier.flatMap(Tables::driverRows);
            Optional<List<Row>> latest;
            if (latestFiles.isEmpty()) {
                latest = Optional.of(List.of());
            } else if (before.isPresent() && latestName.equals(before.get().latestName())) {
                latest = Optional.of(before.get().latest());
            } else {
                latest = driver.collect(latestFiles.get());
            }
            if (latest.isEmpty()) {
                // Kept until the ETL writes another snapshot: not read again per batch.
                return new DriverAttempt(Optional.empty(), Optional.of(latestName));
            }
            long from = Math.min(openFrom, LiveRowsOnDriver.earliestWindowStart(openRows.get()).orElse(openFrom));
            Optional<Set<List<Object>>> finalKeys;
            long keysFrom;
            // Reused only while the same files were read (the same object) from a window start no
            // later than now: the keys from then on include those from now on.
            if (before.isPresent() && before.get().keysOf() == finalRows && before.get().keysFrom() <= from) {
                finalKeys = Optional.of(before.get().finalKeys());
                keysFrom = before.get().keysFrom();
            } else if (from >= openFrom && finalRows.ofOpenHoursOnDriver().isPresent()) {
                finalKeys = Optional.of(LiveRowsOnDriver.keysFrom(finalRows.ofOpenHoursOnDriver().get(), from));
                keysFrom = from;
            } else {
                Optional<Dataset<Row>> finalRowsToRead = from < openFrom
                        ? Optional.of(finalRowsAsWritten(snapshot)) : finalRows.ofOpenHoursAsWritten();
                Column opensLater = col(MeasurementsSchema.WINDOW_START).geq(lit(new java.sql.Timestamp(from)));
                finalKeys = finalRowsToRead
                        .map(rows -> driver.collect(rows.filter(opensLater).select(keyColumns())).map(LiveRowsOnDriver::keys))
                        .orElse(Optional.of(Set.of()));
                keysFrom = from;
            }
            return new DriverAttempt(finalKeys.map(keys -> new DriverRows(finalRows, keysFrom, keys, latestName,
                    latest.get(), openRows.get())), Optional.empty());
        } catch (Exception e) { // a failed job throws SparkException, checked but undeclared
            SparkJobs.rethrowIfInterrupted(e);
            log.warn("Computing the live tables' small parts on the driver failed ({}); Spark computes them in each query",
                    e.toString());
            return new DriverAttempt(Optional.empty(), Optional.empty());
        }
    }

    /** What {@link #driverRows} found: the rows, or which latest-readings snapshot was too large. */
    private record DriverAttempt(Optional<DriverRows> rows, Optional<String> latestTooLarge) {
    }

    /** A tier's table over its current files: the table's columns, in the table's order. */
    private Dataset<Row> tier(Tier tier, List<Path> files) {
        if (files.isEmpty()) {
            return spark.createDataFrame(List.of(), MeasurementsSchema.WITH_PARTITIONS);
        }
        return spark.read().format(PARQUET).schema(tier.readSchema())
                .option("basePath", TierStore.of(store, tier).root().toString())
                .load(files.stream().map(Path::toString).toArray(String[]::new))
                .select(MeasurementsSchema.allColumns());
    }

    /** Table {@code measurements} over a snapshot. */
    public Dataset<Row> measurements(StoreSnapshot snapshot) {
        return finalRows(snapshot, Optional.empty(), Optional.empty()).table();
    }

    /**
     * Table {@code measurements} over a snapshot, with the final rows of {@code openHours} as a part
     * of their own (folded per window; empty when no hour is given or none has rows), the earlier
     * listing's part when it read the same files (a late row to an older hour, a compaction).
     */
    private FinalRows finalRows(StoreSnapshot snapshot, Optional<Set<HourPartition>> hoursOfOpenWindows,
                                Optional<FinalRows> earlier) {
        Set<HourPartition> openHours = hoursOfOpenWindows.orElse(Set.of());
        Set<HourPartition> stagingHours = snapshot.stagingByHour().keySet();
        List<Path> compacted = new ArrayList<>();
        List<Path> warehouseToMerge = new ArrayList<>();
        List<Path> openWarehouse = new ArrayList<>();
        snapshot.warehouseByHour().forEach((hour, files) -> (openHours.contains(hour) ? openWarehouse
                : stagingHours.contains(hour) ? warehouseToMerge : compacted).addAll(files));
        List<Path> stagingToMerge = new ArrayList<>();
        List<Path> openStaging = new ArrayList<>();
        snapshot.stagingByHour().forEach((hour, files) -> (openHours.contains(hour) ? openStaging : stagingToMerge)
                .addAll(files));
        Dataset<Row> direct = readTree(store.warehouseRoot(), compacted);
        Dataset<Row> toMerge = union(readTree(store.warehouseRoot(), warehouseToMerge),
                readTree(store.stagingRoot(), stagingToMerge));
        // Merging a compacted hour again changes none of its rows: one fold covers both kinds.
        List<Path> openFiles = new ArrayList<>(openWarehouse);
        openFiles.addAll(openStaging);
        // Not after a failed read: the next listing tries again. (Without open hours there are no open files.)
        Optional<FinalRows> sameOpenFiles = earlier.filter(rows -> !openFiles.isEmpty() && !rows.driverReadFailed()
                && rows.ofOpenHoursFiles().equals(openFiles));
        Optional<Dataset<Row>> openAsWritten;
        Optional<List<Row>> onDriver;
        Optional<Dataset<Row>> ofOpenHours;
        boolean driverReadFailed;
        if (sameOpenFiles.isPresent()) {
            FinalRows same = sameOpenFiles.get();
            openAsWritten = same.ofOpenHoursAsWritten();
            onDriver = same.ofOpenHoursOnDriver();
            ofOpenHours = same.ofOpenHours();
            driverReadFailed = false;
        } else {
            Optional<Dataset<Row>> asWritten = Optional.ofNullable(union(readTree(store.warehouseRoot(), openWarehouse),
                    readTree(store.stagingRoot(), openStaging)));
            OpenHoursOnDriver read = hoursOfOpenWindows.isPresent() && asWritten.isPresent()
                    ? mergedOnDriver(asWritten.get()) : new OpenHoursOnDriver(Optional.empty(), false);
            openAsWritten = asWritten;
            onDriver = read.rows();
            ofOpenHours = onDriver.map(rows -> spark.createDataFrame(rows, MeasurementsSchema.WITH_PARTITIONS))
                    .or(() -> asWritten.map(rows -> Rollups.merge(rows, true)));
            driverReadFailed = read.failed();
        }
        Dataset<Row> table = union(union(direct, toMerge == null ? null : Rollups.merge(toMerge, true)),
                ofOpenHours.orElse(null));
        return new FinalRows(table == null ? noRows() : table, ofOpenHours, onDriver, openAsWritten, openFiles,
                driverReadFailed, snapshot, hoursOfOpenWindows);
    }

    /**
     * The open hours' final rows merged in the driver's memory: one job reads them as written and,
     * when each window has one row (no late rows, no compacted copy), they are the merged rows —
     * no aggregation, no shuffle. Empty without the driver's bound, above it, with a repeated key,
     * or on a failure: Spark merges them, once per listing.
     */
    private OpenHoursOnDriver mergedOnDriver(Dataset<Row> rowsAsWritten) {
        if (onDriver.isEmpty()) {
            return new OpenHoursOnDriver(Optional.empty(), false);
        }
        try {
            return new OpenHoursOnDriver(onDriver.get().collect(rowsAsWritten).flatMap(LiveRowsOnDriver::mergedIfEachKeyOnce),
                    false);
        } catch (Exception e) { // a failed job throws SparkException, checked but undeclared
            SparkJobs.rethrowIfInterrupted(e);
            log.warn("Reading the open hours' final rows on the driver failed ({}); Spark merges them", e.toString());
            return new OpenHoursOnDriver(Optional.empty(), true);
        }
    }

    /** What {@link #mergedOnDriver} found: the merged rows, or whether reading them failed. */
    private record OpenHoursOnDriver(Optional<List<Row>> rows, boolean failed) {
    }

    /**
     * Every final row of a snapshot as its file holds it, unmerged: a window may have several (late
     * rows, a staging and a warehouse copy). Enough to tell which windows have a final row, without
     * the merge's aggregation and shuffle.
     */
    private Dataset<Row> finalRowsAsWritten(StoreSnapshot snapshot) {
        Dataset<Row> rows = union(readTree(store.warehouseRoot(), snapshot.warehouseFiles()),
                readTree(store.stagingRoot(), snapshot.stagingFiles()));
        return rows == null ? noRows() : rows;
    }

    private Dataset<Row> noRows() {
        return spark.createDataFrame(List.of(), MeasurementsSchema.WITH_PARTITIONS);
    }

    /**
     * The hours an open window of the pointer can fall into: every open window starts after
     * watermark − window. Before the first watermark, an open window can be in any hour (empty).
     */
    private static Optional<Set<HourPartition>> hoursOfOpenWindows(StoreSnapshot snapshot, LivePointer pointer) {
        if (pointer.watermarkMs() == null) {
            return Optional.empty();
        }
        long from = openWindowsFrom(pointer);
        Set<HourPartition> hours = new HashSet<>();
        for (HourPartition hour : snapshot.hours()) {
            if (hour.end().toEpochMilli() > from) {
                hours.add(hour);
            }
        }
        return Optional.of(hours);
    }

    /**
     * Every open window of a pointer with a watermark starts at or after this (epoch ms), unless an
     * earlier run used a longer window.
     */
    private static long openWindowsFrom(LivePointer pointer) {
        return pointer.watermarkMs() - pointer.windowMs();
    }

    private static Column[] keyColumns() {
        return MeasurementsSchema.KEY.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    }

    private Dataset<Row> readTree(Path root, List<Path> files) {
        if (files.isEmpty()) {
            return null;
        }
        String[] paths = files.stream().map(Path::toString).toArray(String[]::new);
        return spark.read().format(PARQUET).schema(MeasurementsSchema.WITH_PARTITIONS).option("basePath", root.toString())
                .load(paths)
                .select(MeasurementsSchema.allColumns());
    }

    private static Dataset<Row> union(Dataset<Row> a, Dataset<Row> b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a.unionByName(b);
    }

    /**
     * Table {@code measurements} in two parts, and what it was built from.
     *
     * @param table       every final row
     * @param ofOpenHours the final rows of the hours open windows can fall into, one per window,
     *                    also in {@code table}: the rows the anti-join of provisional rows reads
     * @param ofOpenHoursOnDriver the same rows, if they were merged in the driver's memory (then
     *                    {@code ofOpenHours} reads them from there)
     * @param ofOpenHoursAsWritten the same rows as their files hold them, unmerged (several per
     *                    window with late rows)
     * @param ofOpenHoursFiles the files of those rows
     * @param driverReadFailed whether reading them into the driver's memory failed (a later
     *                    listing of the same files tries again instead of reusing this part)
     * @param snapshot    the files read
     * @param openHours   the hours of {@code ofOpenHours} (empty before the first watermark: any)
     */
    public record FinalRows(Dataset<Row> table, Optional<Dataset<Row>> ofOpenHours,
                            Optional<List<Row>> ofOpenHoursOnDriver,
                            Optional<Dataset<Row>> ofOpenHoursAsWritten, List<Path> ofOpenHoursFiles,
                            boolean driverReadFailed, StoreSnapshot snapshot, Optional<Set<HourPartition>> openHours) {
        public FinalRows {
            Objects.requireNonNull(table, "table is null");
            Objects.requireNonNull(ofOpenHours, "ofOpenHours is null");
            ofOpenHoursOnDriver = ofOpenHoursOnDriver.map(List::copyOf);
            ofOpenHoursFiles = List.copyOf(ofOpenHoursFiles);
            Objects.requireNonNull(ofOpenHoursAsWritten, "ofOpenHoursAsWritten is null");
            Objects.requireNonNull(snapshot, "snapshot is null");
            openHours = openHours.map(Set::copyOf);
        }
    }

    /**
     * The rows the driver computed the live parts of a listing from ({@link LiveRowsOnDriver}).
     *
     * @param keysOf      the final rows whose keys these are
     * @param keysFrom    the earliest window start of the keys (epoch ms): where open windows started
     *                    when they were read
     * @param finalKeys   the keys of the final rows of the windows that start at or after {@code keysFrom}
     * @param latestName  the snapshot of latest readings read (null: none)
     * @param latest      its rows
     * @param openWindows the rows of the open windows
     */
    public record DriverRows(FinalRows keysOf, long keysFrom, Set<List<Object>> finalKeys, String latestName, List<Row> latest,
                             List<Row> openWindows) {
        public DriverRows {
            Objects.requireNonNull(keysOf, "keysOf is null");
            finalKeys = Set.copyOf(finalKeys);
            latest = List.copyOf(latest);
            openWindows = List.copyOf(openWindows);
        }
    }

    /**
     * One consistent look at the store: the live pointer (read first), then the files.
     *
     * @param pointer     the live pointer, if there is a live area with one
     * @param snapshot    the files of table {@code measurements}
     * @param hourlyFiles the files of table {@code measurements_1h}
     * @param dailyFiles  the files of table {@code measurements_1d}
     */
    public record Listing(Optional<LivePointer> pointer, StoreSnapshot snapshot, List<Path> hourlyFiles,
                          List<Path> dailyFiles) {
        public Listing {
            Objects.requireNonNull(pointer, "pointer is null");
            Objects.requireNonNull(snapshot, "snapshot is null");
            hourlyFiles = List.copyOf(hourlyFiles);
            dailyFiles = List.copyOf(dailyFiles);
        }
    }

    /**
     * The tables of one listing.
     *
     * @param liveParts the parts of the live tables that are small and cost the most per query, in
     *                  the order to cache them: the final rows of the hours open windows can fall into
     *                  (series × windows of an hour or two, folded per window; they change only when
     *                  a window closes or a late row arrives; not when the driver merged them), the provisional rows and the latest
     *                  readings (series × open windows, new with every live pointer). A reader that
     *                  serves many queries over one listing can cache them (empty without a live area).
     * @param finalRows   what {@code measurements} is made of, for a later listing to reuse
     * @param listing     the listing these tables were read from
     * @param driverRows  the rows the live parts were computed from in the driver's memory, if they
     *                    were (then {@code liveParts} does not hold those parts)
     * @param latestTooLargeForDriver the latest-readings snapshot found to have more rows than the
     *                    driver may hold: a later listing naming it does not read it again
     */
    public record Tables(Dataset<Row> measurements, Dataset<Row> measurementsLive, Dataset<Row> latestReadings,
                         Dataset<Row> hourly, Dataset<Row> daily, List<Dataset<Row>> liveParts, FinalRows finalRows,
                         Listing listing, Optional<DriverRows> driverRows,
                         Optional<String> latestTooLargeForDriver) {
        public Tables {
            Objects.requireNonNull(driverRows, "driverRows is null");
            Objects.requireNonNull(latestTooLargeForDriver, "latestTooLargeForDriver is null");
            liveParts = List.copyOf(liveParts);
            Objects.requireNonNull(finalRows, "finalRows is null");
            Objects.requireNonNull(listing, "listing is null");
        }
    }
}
