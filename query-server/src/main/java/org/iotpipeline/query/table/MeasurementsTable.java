package org.iotpipeline.query.table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.iotpipeline.store.LatestReadings;
import org.iotpipeline.store.LivePointer;
import org.iotpipeline.store.MeasurementsSchema;
import org.iotpipeline.store.SparkJobs;
import org.iotpipeline.store.StoreSnapshot;
import org.iotpipeline.store.TableReader;
import org.iotpipeline.store.Tier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the temporary views {@code measurements}, {@code measurements_live} and
 * {@code latest_readings} of a SparkSession equal to the store's content, as {@link TableReader}
 * defines them over one listing (docs/storage.md): each window exactly once, late rows folded into
 * their window, provisional rows of open windows only where no final row holds the key.
 *
 * <p><b>Freshness.</b> {@link #refreshIfStale()} re-lists the store when the last listing is older
 * than the refresh interval, so a query sees files that appeared up to that interval before it
 * started. The views are only re-registered when the listing changed. {@link #refresh()} lists at
 * once (after a query failed on a file that a compaction deleted in the meantime).
 *
 * <p>Thread-safe: listings are serialized; queries that resolved the previous views keep reading
 * their files, which the store's writers keep for a grace period longer than any query.
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
    private final TableReader reader;
    private final Duration refreshInterval;
    private final Clock clock;
    private volatile TableState state;
    // Only touched while listing (synchronized). Each is updated as soon as Spark's state changed,
    // so a listing that fails half-way leaves none of them behind Spark's.
    /** The tables of the last complete listing, for the next one to reuse. */
    private Optional<TableReader.Tables> lastTables = Optional.empty();
    /** The table each view was last registered with. */
    private final Map<String, Dataset<Row>> registered = new HashMap<>();
    /** The live parts kept in memory. */
    private List<Dataset<Row>> cachedLiveParts = List.of();

    public MeasurementsTable(SparkSession spark, TableReader reader, Duration refreshInterval, Clock clock) {
        this.spark = Objects.requireNonNull(spark, "spark is null");
        this.reader = Objects.requireNonNull(reader, "reader is null");
        this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    /** The name of the main view. */
    public String name() {
        return TableReader.MEASUREMENTS;
    }

    /** Every view this registers. */
    public List<String> names() {
        return List.of(TableReader.MEASUREMENTS, TableReader.MEASUREMENTS_LIVE, LatestReadings.TABLE,
                Tier.HOURLY.table(), Tier.DAILY.table());
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
        // Fresh enough for this query: listed at most one interval before it arrived. A listing it
        // waited for (begun after that) is, however long it took.
        Instant listedSince = clock.instant().minus(refreshInterval);
        TableState current = state;
        if (current != null && !isStale(current, listedSince)) {
            return current;
        }
        synchronized (this) {
            current = state;
            if (current != null && !isStale(current, listedSince)) {
                return current; // another thread listed while we waited
            }
            try {
                return list();
            } catch (Exception e) { // Spark's SparkException is checked but undeclared
                SparkJobs.keepInterrupt(e);
                if (current == null) {
                    throw unchecked(e);
                }
                log.warn("Listing the store failed ({}); queries keep reading the listing of {}", e.toString(),
                        current.listedAt());
                return current;
            }
        }
    }

    /**
     * Lists the store now if the ETL published a live pointer other than the one of the last
     * listing, so the live tables follow each micro-batch without listing the store more often.
     *
     * @return whether it listed
     * @throws UncheckedIOException if the pointer or the store cannot be read
     */
    public boolean refreshIfLiveMoved() {
        TableState current = state;
        Optional<LivePointer> pointer;
        try {
            pointer = reader.livePointer();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the live pointer: " + e.getMessage(), e);
        }
        if (current != null && current.listing().pointer().equals(pointer)) {
            return false;
        }
        refresh();
        return true;
    }

    /**
     * Lists the store now, whatever the age of the last listing.
     *
     * @throws UncheckedIOException if the store cannot be listed
     */
    public synchronized TableState refresh() {
        try {
            return list();
        } catch (Exception e) { // Spark's SparkException is checked but undeclared
            SparkJobs.keepInterrupt(e);
            throw unchecked(e);
        }
    }

    private static RuntimeException unchecked(Exception e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        return e instanceof IOException io ? new UncheckedIOException("cannot list the store: " + e.getMessage(), io)
                : new IllegalStateException("cannot list the store: " + e, e);
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

    /**
     * Keeps the small parts of the live tables in memory ({@link TableReader.Tables#liveParts()}):
     * the final rows of the hours open windows fall into, the provisional rows and the latest
     * readings. They are otherwise folded from their files again by every query — a dashboard
     * polling them would cost a core. Spark fills the cache with the first query that reads them;
     * beyond its storage memory it keeps them on local disk. A query still running over the
     * previous views reads their files again once their cache is dropped.
     */
    private void cacheLiveParts(TableReader.Tables tables) {
        List<Dataset<Row>> parts = tables.liveParts();
        List<Dataset<Row>> previous = cachedLiveParts;
        // Spark keeps one cache entry per result: a part the new listing reads unchanged (the final
        // rows of the open hours while no window closes) keeps its entry, filled or not.
        List<Dataset<Row>> added = parts.stream().filter(part -> previous.stream().noneMatch(old -> sameResult(old, part)))
                .toList();
        added.forEach(part -> part.persist(StorageLevel.MEMORY_AND_DISK()));
        cachedLiveParts = parts;
        tables.finalRows().ofOpenHours().filter(added::contains).ifPresent(this::fill);
    }

    /**
     * Folds the open hours' final rows into the cache now, before the views that read them are
     * registered: the thread that lists pays for it (normally the background refresh), not the
     * first query after a window closed — the busiest moment of the ETL. Only this part: it changes
     * when a window closes, while the others change with every live pointer and are read by the
     * queries that want them. A failure leaves the cache to the first query that reads it.
     */
    private void fill(Dataset<Row> part) {
        long start = System.nanoTime();
        try {
            long rows = part.count();
            log.info("Folded the final rows of the open hours ({} rows) in {} ms", rows,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (Exception e) { // a failed job throws SparkException, checked but undeclared
            SparkJobs.rethrowIfInterrupted(e);
            log.warn("Folding the final rows of the open hours failed ({}); the first query that reads them folds them",
                    e.toString());
        }
    }

    private void dropUnusedLiveParts(List<Dataset<Row>> previous) {
        List<Dataset<Row>> parts = cachedLiveParts;
        previous.stream().filter(old -> parts.stream().noneMatch(part -> sameResult(old, part)))
                .forEach(old -> old.unpersist(false));
    }

    private void register(String view, TableReader.Tables tables, Function<TableReader.Tables, Dataset<Row>> table) {
        Dataset<Row> next = table.apply(tables);
        if (registered.get(view) != next) {
            next.createOrReplaceTempView(view);
            registered.put(view, next);
        }
    }

    private static boolean sameResult(Dataset<Row> a, Dataset<Row> b) {
        return a.queryExecution().analyzed().sameResult(b.queryExecution().analyzed());
    }

    private static boolean isStale(TableState current, Instant listedSince) {
        return !current.listedAt().isAfter(listedSince);
    }

    private TableState list() throws IOException {
        Instant now = clock.instant();
        long start = System.nanoTime();
        TableReader.Listing listing = reader.list();
        TableState previous = state;
        if (previous != null && previous.listing().equals(listing)) {
            state = previous.relisted(now);
            return state;
        }
        TableReader.Tables tables = reader.read(listing, lastTables);
        List<Dataset<Row>> previousParts = cachedLiveParts;
        try {
            // In memory before the views switch: a query of the new views finds them there.
            cacheLiveParts(tables);
            // A view whose table the listing reused (only the live pointer moved) stays as it is.
            register(TableReader.MEASUREMENTS, tables, TableReader.Tables::measurements);
            register(TableReader.MEASUREMENTS_LIVE, tables, TableReader.Tables::measurementsLive);
            register(LatestReadings.TABLE, tables, TableReader.Tables::latestReadings);
            register(Tier.HOURLY.table(), tables, TableReader.Tables::hourly);
            register(Tier.DAILY.table(), tables, TableReader.Tables::daily);
        } finally {
            // After the views: a query still planning over the previous ones keeps their cache.
            dropUnusedLiveParts(previousParts);
        }
        lastTables = Optional.of(tables);
        // After the views: whoever sees this generation also resolves its views.
        TableState next = new TableState(listing, now, previous == null ? 1 : previous.generation() + 1);
        state = next;
        StoreSnapshot snapshot = listing.snapshot();
        log.info("Tables now read {} warehouse and {} staging files over {} hours; live batch {} (listed in {} ms)",
                snapshot.warehouseFiles().size(), snapshot.stagingFiles().size(), snapshot.hours().size(),
                listing.pointer().map(p -> Long.toString(p.batchId())).orElse("none"),
                (System.nanoTime() - start) / 1_000_000);
        return next;
    }
}
