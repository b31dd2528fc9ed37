package org.iotpipeline.query.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.model.QueryResult;
import org.iotpipeline.query.execution.QueryLimits;
import org.iotpipeline.query.execution.QueryRequest;
import org.iotpipeline.query.execution.QueryService;
import org.iotpipeline.query.execution.ResultCache;
import org.iotpipeline.query.execution.RunningQueries;
import org.iotpipeline.query.guard.SqlGuard;
import org.iotpipeline.query.json.JsonMappers;
import org.iotpipeline.query.json.RowShape;
import org.iotpipeline.query.json.SparkJsonConverter;
import org.iotpipeline.query.metrics.QueryMetrics;
import org.iotpipeline.query.testing.MutableClock;
import org.iotpipeline.query.testing.StoreWriter;
import org.iotpipeline.query.testing.TestSpark;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Table {@code measurements} over a real store layout written with Spark, read through the query
 * service (no HTTP): each row exactly once, new files seen after the refresh interval, a file
 * deleted under a running snapshot survived by one re-listing.
 */
class MeasurementsTableIT {

    private static final HourPartition H1 = new HourPartition(2026, 11, 29, 1);
    private static final HourPartition H2 = new HourPartition(2026, 11, 29, 2);
    private static final HourPartition H3 = new HourPartition(2026, 11, 29, 3);

    private static SparkSession spark;
    private static ExecutorService threads;
    private static ScheduledExecutorService timer;

    @TempDir
    Path root;

    @BeforeAll
    static void startSpark() {
        spark = TestSpark.start();
        threads = Executors.newFixedThreadPool(2);
        timer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stopSpark() {
        threads.shutdownNow();
        timer.shutdownNow();
        spark.stop();
    }

    @Test
    void anEmptyStoreIsAnEmptyTableWithTheFullSchema() {
        MeasurementsTable table = table(Duration.ofSeconds(2));
        table.refresh();

        assertThat(spark.table("measurements").schema()).isEqualTo(MeasurementsTable.SCHEMA);
        assertThat(rows(service(table), "SELECT count(*), sum(event_count) FROM measurements"))
                .containsExactly(java.util.Arrays.asList(0L, null));
    }

    @Test
    void anHourInBothTreesIsCountedOnceAndLateRowsAreFoldedIntoTheirWindows() {
        StoreWriter writer = new StoreWriter(spark, root);
        writer.appendToStaging(writer.hourOfRows(H1, 3, 2)); // 72 windows: batch 1
        writer.appendToStaging(writer.hourOfRows(H1, 3, 2)); // the same 72 windows again: late rows of batch 2
        writer.compact(H1, 1); // warehouse copy, one row per window; the manifest names both files as sources
        writer.appendToStaging(writer.hourOfRows(H1, 3, 2)); // late rows after compaction
        writer.appendToStaging(writer.hourOfRows(H2, 3, 2)); // 72 windows of an hour not compacted yet
        writer.appendToStaging(writer.hourOfRows(H3, 3, 2));
        writer.compact(H3, 1); // compacted, nothing late: read as it is
        MeasurementsTable table = table(Duration.ofSeconds(2));
        QueryService service = service(table);

        // Every window once, every event once: 3 hours x 72 windows, 2 events per row written.
        assertThat(rows(service, "SELECT count(*), sum(event_count) FROM measurements"))
                .containsExactly(List.of(216L, 720L));
        assertThat(rows(service, "SELECT hour, count(*), sum(event_count) FROM measurements GROUP BY hour ORDER BY hour"))
                .containsExactly(List.of(1, 72L, 432L), List.of(2, 72L, 144L), List.of(3, 72L, 144L));
        // One window of H1: its rows from the warehouse copy (4 events) and the late file (2) folded into one.
        assertThat(rows(service, "SELECT event_count, value_sum, value_min, value_max, value_avg FROM measurements"
                + " WHERE hour = 1 AND device_id = 2 AND metric_id = 1 AND minute(window_start) = 35"))
                .containsExactly(List.of(6L, 3 * 67.0, 32.5, 34.5, 33.5));
        assertThat(rows(service, "SELECT count(*) FROM measurements WHERE hour = 1 AND device_id = 2 AND metric_id = 1"))
                .containsExactly(List.of(12L));
        // Files without first/last (written before those columns existed) read them as NULL.
        assertThat(rows(service, "SELECT count(value_first), count(last_timestamp) FROM measurements"))
                .containsExactly(List.of(0L, 0L));
        assertThat(table.state()).get().satisfies(state -> {
            assertThat(state.snapshot().warehouseFiles()).hasSize(2);
            assertThat(state.snapshot().stagingFiles()).hasSize(2);
            assertThat(state.snapshot().stagingHours()).containsExactly(H1, H2);
        });
    }

    @Test
    void withoutALiveAreaTheLiveTableIsTheFinalRowsAndLatestReadingsIsEmpty() throws IOException {
        StoreWriter writer = new StoreWriter(spark, root);
        writer.appendToStaging(writer.hourOfRows(H1, 2, 2));
        MeasurementsStore store = MeasurementsStore.open(root.resolve("staging/measurements").toUri().toString(),
                root.resolve("warehouse/measurements").toUri().toString(), new Configuration());
        org.iotpipeline.store.LiveArea neverWritten = org.iotpipeline.store.LiveArea.open(
                root.resolve("live-the-etl-never-wrote").toUri().toString(), new Configuration());
        MeasurementsTable table = new MeasurementsTable(spark, new org.iotpipeline.store.TableReader(spark, store,
                java.util.Optional.of(neverWritten)), Duration.ofSeconds(2), Clock.systemUTC());
        QueryService service = service(table);

        assertThat(rows(service, "SELECT count(*), sum(event_count), count_if(final) FROM measurements_live"))
                .containsExactly(List.of(48L, 96L, 48L));
        assertThat(rows(service, "SELECT count(*) FROM latest_readings")).containsExactly(List.of(0L));
        assertThat(spark.table("latest_readings").schema().fieldNames())
                .containsExactly("device_id", "metric_id", "timestamp", "value");
    }

    @Test
    void newFilesAppearWithinTheRefreshInterval() {
        StoreWriter writer = new StoreWriter(spark, root);
        writer.appendToStaging(writer.hourOfRows(H1, 2, 1));
        MeasurementsTable table = table(Duration.ofMillis(300));
        QueryService service = service(table);
        assertThat(rows(service, "SELECT count(*) FROM measurements")).containsExactly(List.of(24L));

        writer.appendToStaging(writer.hourOfRows(H2, 2, 1));

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(rows(service, "SELECT count(*) FROM measurements")).containsExactly(List.of(48L)));
    }

    @Test
    void theBackgroundRefreshListsNewFilesWithoutAnyQuery() {
        StoreWriter writer = new StoreWriter(spark, root);
        writer.appendToStaging(writer.hourOfRows(H1, 2, 1));
        MeasurementsTable table = table(Duration.ofMillis(300));
        table.refresh();
        assertThat(table.state()).get().satisfies(state -> assertThat(state.snapshot().stagingFiles()).hasSize(1));

        writer.appendToStaging(writer.hourOfRows(H2, 2, 1));

        // No query runs: only the background thread can list the new file (and it keeps the listing young).
        try (BackgroundRefresh refresh = BackgroundRefresh.start(table, Duration.ofMillis(300), Duration.ZERO)) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(table.state()).get().satisfies(state ->
                            assertThat(state.snapshot().stagingFiles()).hasSize(2)));
        }
    }

    @Test
    void aNewLivePointerIsFollowedWithinTheLiveIntervalNotTheRefreshInterval() throws IOException {
        MeasurementsStore store = MeasurementsStore.open(root.resolve("staging/measurements").toUri().toString(),
                root.resolve("warehouse/measurements").toUri().toString(), new Configuration());
        org.iotpipeline.store.LiveArea live = org.iotpipeline.store.LiveArea.open(
                root.resolve("live-followed").toUri().toString(), new Configuration());
        writeLatest(live, 1, 1);
        // A store listing that stays "fresh" for an hour: only the pointer check can notice batch 2.
        MeasurementsTable table = new MeasurementsTable(spark, new org.iotpipeline.store.TableReader(spark, store,
                java.util.Optional.of(live)), Duration.ofHours(1), Clock.systemUTC());
        table.refresh();
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> first = spark.table("latest_readings");
        assertThat(first.count()).isEqualTo(1);
        assertThat(first.storageLevel()).as("kept in memory for the queries of this listing")
                .isEqualTo(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        assertThat(table.refreshIfLiveMoved()).as("same pointer: nothing to list").isFalse();

        try (BackgroundRefresh refresh = BackgroundRefresh.start(table, Duration.ofHours(1), Duration.ofMillis(50))) {
            writeLatest(live, 2, 3);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(spark.table("latest_readings").count()).isEqualTo(3));
        }
        assertThat(spark.table("latest_readings").storageLevel()).isEqualTo(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        assertThat(first.storageLevel()).as("the superseded batch's readings are dropped from memory")
                .isEqualTo(org.apache.spark.storage.StorageLevel.NONE());

        // A new store file, the same pointer: the latest readings are unchanged and stay in memory.
        new StoreWriter(spark, root).appendToStaging(new StoreWriter(spark, root).hourOfRows(H1, 2, 1));
        table.refresh();
        assertThat(table.state()).get().satisfies(state -> assertThat(state.snapshot().stagingFiles()).hasSize(1));
        assertThat(spark.table("latest_readings").storageLevel()).isEqualTo(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    }

    /** What an ETL batch leaves: a latest-readings snapshot of {@code devices} devices, then its pointer. */
    private void writeLatest(org.iotpipeline.store.LiveArea live, long batchId, int devices) throws IOException {
        List<org.apache.spark.sql.Row> readings = new java.util.ArrayList<>();
        for (int device = 1; device <= devices; device++) {
            readings.add(org.apache.spark.sql.RowFactory.create(device, 0,
                    java.sql.Timestamp.from(java.time.Instant.parse("2026-11-29T03:00:00Z")), (double) batchId));
        }
        String name = org.iotpipeline.store.LiveArea.snapshotName(batchId);
        spark.createDataFrame(readings, org.iotpipeline.store.LatestReadings.SCHEMA).write()
                .parquet(live.latestDir(name).toString());
        live.publish(new org.iotpipeline.store.LivePointer(batchId, null, null, null, name, 300_000, batchId));
    }

    @Test
    void theOpenHoursAreFoldedWhenListedNotByTheFirstQuery() throws IOException {
        StoreWriter writer = new StoreWriter(spark, root);
        List<String> files = writer.appendToStaging(writer.hourOfRows(H2, 2, 1));
        MeasurementsStore store = MeasurementsStore.open(writer.stagingRoot().toUri().toString(),
                writer.warehouseRoot().toUri().toString(), new Configuration());
        org.iotpipeline.store.LiveArea live = org.iotpipeline.store.LiveArea.open(
                root.resolve("live-open-hours").toUri().toString(), new Configuration());
        // Windows from 02:25 on are open: H2 is an hour they fall into.
        long watermark = java.time.Instant.parse("2026-11-29T02:30:00Z").toEpochMilli();
        live.publish(new org.iotpipeline.store.LivePointer(1, watermark, watermark, null, null, 300_000, 1));
        MeasurementsTable table = new MeasurementsTable(spark, new org.iotpipeline.store.TableReader(spark, store,
                java.util.Optional.of(live)), Duration.ofHours(1), Clock.systemUTC());
        table.refresh();

        // Gone before any query: only rows folded while listing can answer.
        for (String file : files) {
            Path deleted = writer.stagingRoot().resolve(file);
            Files.delete(deleted);
            Files.deleteIfExists(deleted.resolveSibling("." + deleted.getFileName() + ".crc"));
        }
        assertThat(spark.sql("SELECT count(*), sum(event_count) FROM measurements WHERE hour = 2").collectAsList())
                .extracting(row -> List.of(row.getLong(0), row.getLong(1))).containsExactly(List.of(24L, 48L));
    }

    @Test
    void aQueryThatWaitedForAListingBegunAfterItArrivedDoesNotListAgain() throws Exception {
        new StoreWriter(spark, root).appendToStaging(new StoreWriter(spark, root).hourOfRows(H1, 2, 1));
        Duration interval = Duration.ofSeconds(2);
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-29T04:00:00Z"));
        MeasurementsStore store = MeasurementsStore.open(root.resolve("staging/measurements").toUri().toString(),
                root.resolve("warehouse/measurements").toUri().toString(), new Configuration());
        MeasurementsTable table = new MeasurementsTable(spark, new org.iotpipeline.store.TableReader(spark, store,
                java.util.Optional.empty()), interval, clock);
        table.refresh();
        clock.advance(interval.plusMillis(1));

        java.util.concurrent.Future<TableState> query;
        java.time.Instant begun;
        // The test holds the listing lock as the background refresh does while it lists.
        synchronized (table) {
            query = threads.submit(table::refreshIfStale);
            Thread waiting = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                    .until(() -> blockedOn(table), java.util.Optional::isPresent).orElseThrow();
            assertThat(waiting.getState()).isEqualTo(Thread.State.BLOCKED);
            clock.advance(Duration.ofMillis(1));
            begun = clock.instant();
            table.refresh(); // begun after the query arrived ...
            clock.advance(interval.multipliedBy(3)); // ... and slow
        }

        assertThat(query.get(60, java.util.concurrent.TimeUnit.SECONDS).listedAt())
                .as("the listing the query waited for serves it").isEqualTo(begun);
    }

    /** The thread of the pool blocked on the table's lock, if one is. */
    private static java.util.Optional<Thread> blockedOn(MeasurementsTable table) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getState() == Thread.State.BLOCKED)
                .filter(thread -> java.util.Arrays.stream(thread.getStackTrace())
                        .anyMatch(frame -> frame.getMethodName().equals("refreshIfStale")))
                .findFirst();
    }

    @Test
    void anAnswerIsServedAgainOnlyWhileTheTablesAreUnchanged() {
        StoreWriter writer = new StoreWriter(spark, root);
        writer.appendToStaging(writer.hourOfRows(H1, 2, 1));
        // A listing that stays "fresh" for an hour: only refresh() starts a new generation.
        MeasurementsTable table = table(Duration.ofHours(1));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        QueryService service = service(table, registry);
        String sql = "SELECT count(*) FROM measurements";

        assertThat(rows(service, sql)).containsExactly(List.of(24L));
        assertThat(rows(service, sql)).containsExactly(List.of(24L));
        assertThat(cacheCount(registry, "hit")).as("the second, same tables").isEqualTo(1);

        writer.appendToStaging(writer.hourOfRows(H2, 2, 1));
        table.refresh();
        assertThat(rows(service, sql)).as("a new generation of the tables").containsExactly(List.of(48L));
        assertThat(cacheCount(registry, "hit")).isEqualTo(1);

        // Answers that change by themselves are computed every time.
        for (String changing : List.of("SELECT count(*), rand() FROM measurements",
                "SELECT count(*), current_timestamp() FROM measurements",
                "SELECT max(x) FROM (SELECT uuid() AS x FROM measurements)",
                "SELECT count(*) FROM measurements TABLESAMPLE (50 PERCENT)",
                "SELECT count(*) FROM measurements WHERE event_count < (SELECT 10 * rand())",
                "SELECT count(*) FROM measurements WHERE window_start < TIMESTAMP 'now'",
                "SELECT count(*) FROM measurements WHERE window_start < TIMESTAMP '\\u006eow'",
                "SELECT count(*) FROM measurements WHERE window_start < CAST(' today ' AS DATE)",
                "EXPLAIN SELECT count(*) FROM measurements")) {
            rows(service, changing);
            rows(service, changing);
            assertThat(cacheCount(registry, "hit")).as(changing).isEqualTo(1);
        }
        QueryRequest sinceNow = new QueryRequest("SELECT count(*) FROM measurements WHERE window_start < :since",
                java.util.Map.of("since", "now"), java.util.OptionalInt.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty());
        for (int i = 0; i < 2; i++) {
            service.execute(sinceNow).toCompletableFuture().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
        }
        assertThat(cacheCount(registry, "hit")).as("a parameter 'now'").isEqualTo(1);
        // A window function's frame (CURRENT ROW) is no clock: its answer is kept.
        String ranked = "SELECT device_id, row_number() OVER (ORDER BY device_id, window_start) AS n FROM measurements"
                + " ORDER BY n LIMIT 1";
        rows(service, ranked);
        rows(service, ranked);
        assertThat(cacheCount(registry, "hit")).isEqualTo(2);
        List<Object> first = rows(service, "SELECT rand()");
        assertThat(rows(service, "SELECT rand()")).isNotEqualTo(first);
    }

    @Test
    void aClientThatWaitsForEachAnswerIsNeverToldTheSlotsAreBusy() {
        MeasurementsTable table = table(Duration.ofHours(1));
        QueryService service = service(table, new SimpleMeterRegistry(), 1);

        // One slot, one client asking again as soon as it has each answer (from the cache: fast).
        for (int i = 0; i < 500; i++) {
            assertThat(rows(service, "SELECT count(*) FROM measurements")).as("query %d", i).containsExactly(List.of(0L));
        }
    }

    private static double cacheCount(SimpleMeterRegistry registry, String result) {
        io.micrometer.core.instrument.Counter counter = registry.find("query.result.cache").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aFileDeletedAfterListingIsSurvivedByOneReListing() throws IOException {
        StoreWriter writer = new StoreWriter(spark, root);
        writer.appendToStaging(writer.hourOfRows(H3, 2, 1));
        List<String> second = writer.appendToStaging(writer.hourOfRows(H3, 2, 1));
        // A listing that stays "fresh" for an hour: only the retry can notice the deletion.
        MeasurementsTable table = table(Duration.ofHours(1));
        QueryService service = service(table);
        assertThat(rows(service, "SELECT count(*), sum(event_count) FROM measurements")).containsExactly(List.of(24L, 96L));

        // What a compactor does after its grace period: delete a superseded staging file.
        Path deleted = writer.stagingRoot().resolve(second.get(0));
        Files.delete(deleted);
        Files.deleteIfExists(deleted.resolveSibling("." + deleted.getFileName() + ".crc"));

        assertThat(rows(service, "SELECT count(*), sum(event_count), max(value_max) FROM measurements"))
                .containsExactly(List.of(24L, 48L, 12.5));
    }

    private MeasurementsTable table(Duration refreshInterval) {
        try {
            MeasurementsStore store = MeasurementsStore.open(root.resolve("staging/measurements").toUri().toString(),
                    root.resolve("warehouse/measurements").toUri().toString(), new Configuration());
            return new MeasurementsTable(spark, new org.iotpipeline.store.TableReader(spark, store, java.util.Optional.empty()), refreshInterval, Clock.systemUTC());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private QueryService service(MeasurementsTable table) {
        return service(table, new SimpleMeterRegistry());
    }

    /** A query service that keeps answers (ResultCache): every test also checks it never serves a stale one. */
    private QueryService service(MeasurementsTable table, SimpleMeterRegistry registry) {
        return service(table, registry, 2);
    }

    private QueryService service(MeasurementsTable table, SimpleMeterRegistry registry, int slots) {
        QueryLimits limits = new QueryLimits(slots, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofSeconds(60), 1000, 10_000, 1 << 20, RowShape.ARRAYS,
                new org.iotpipeline.query.execution.StatementLimits(65536, 64), Duration.ofSeconds(5));
        SqlGuard guard = new SqlGuard(spark.sessionState().sqlParser(), org.iotpipeline.query.guard.FunctionPolicy.load(), List.of(
                new org.apache.hadoop.fs.Path(root.resolve("staging/measurements").toUri()),
                new org.apache.hadoop.fs.Path(root.resolve("warehouse/measurements").toUri())));
        return new QueryService(spark, table, guard,
                new RunningQueries(slots, Duration.ofSeconds(1), spark.sparkContext(), Clock.systemUTC()), limits,
                new SparkJsonConverter(JsonMappers.create()), new QueryMetrics(registry), threads, timer,
                new ResultCache(64, 64 * 1024));
    }

    private static List<Object> rows(QueryService service, String sql) {
        QueryResult result = service.execute(QueryRequest.of(sql)).toCompletableFuture()
                .orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
        return result.rows();
    }
}
