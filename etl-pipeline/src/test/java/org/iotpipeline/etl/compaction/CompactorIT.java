package org.iotpipeline.etl.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactorIT {

    private static final HourPartition H1 = new HourPartition(2026, 3, 1, 10);
    private static final HourPartition H2 = new HourPartition(2026, 3, 1, 11);
    private static final HourPartition OPEN = new HourPartition(2026, 3, 1, 12);
    private static final Instant HORIZON = OPEN.start().plusSeconds(1800); // H1 and H2 closed, OPEN not
    private static final Duration GRACE = Duration.ofMinutes(10);

    private static SparkSession spark;

    @TempDir
    java.nio.file.Path dir;
    private MeasurementsStore store;
    private MutableClock clock;
    private CompactionSettings settings;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("CompactorIT");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @BeforeEach
    void openStore() throws IOException {
        store = MeasurementsStore.open(dir.resolve("staging").toUri().toString(), dir.resolve("warehouse").toUri().toString(),
                spark.sparkContext().hadoopConfiguration());
        clock = new MutableClock(Instant.now());
        settings = CompactionSettings.fromConfig(ConfigFactory.defaultReference()).withGrace(GRACE);
    }

    @Test
    void compactsClosedHoursIntoFewSortedFilesAndLeavesOpenHoursAlone() throws IOException {
        List<Row> input = new ArrayList<>();
        for (HourPartition hour : List.of(H1, H2, OPEN)) {
            input.addAll(TestMeasurements.hour(hour, 0, 20, 3, 7));
        }
        TestMeasurements.writeStaging(spark, input, store.stagingRoot(), 6);
        Map<HourPartition, Long> stagingBytes = bytesByHour(store.stagingFiles());
        long target = stagingBytes.get(H1) / 3; // so each closed hour becomes a few files
        Compactor compactor = compactor(settings.withTargetFileSize(target));

        CompactionRun run = compactor.run(CompactionRequest.upTo(HORIZON));

        assertThat(run.failures()).isEmpty();
        assertThat(run.compacted()).extracting(HourCompaction::hour).containsExactly(H1, H2);
        assertThat(TestMeasurements.readSnapshot(spark, store)).isEqualTo(TestMeasurements.canonical(input));
        Map<HourPartition, HourManifest> manifests = store.currentManifests();
        assertThat(manifests).containsOnlyKeys(H1, H2);
        for (HourPartition hour : List.of(H1, H2)) {
            HourManifest manifest = manifests.get(hour);
            long maxFiles = (stagingBytes.get(hour) + target - 1) / target;
            assertThat(manifest.version()).isEqualTo(1);
            assertThat(manifest.files()).hasSizeBetween(2, (int) maxFiles);
            assertThat(manifest.sources()).containsExactlyInAnyOrderElementsOf(
                    names(store.stagingFiles().get(hour)));
            assertThat(manifest.rowCount()).isEqualTo(12 * 20 * 3);
            assertSortedAcrossFiles(hour, manifest);
            assertTimestampsAreMicros(new Path(store.warehouseHourDir(hour), manifest.files().get(0)));
        }

        // Within the grace the absorbed staging files stay (a reader may have listed them); after it they go.
        compactor.run(CompactionRequest.upTo(HORIZON));
        assertThat(store.stagingFiles()).containsKeys(H1, H2, OPEN);
        clock.advance(GRACE.plusSeconds(1));
        CompactionRun cleanup = compactor.run(CompactionRequest.upTo(HORIZON));

        assertThat(cleanup.compacted()).isEmpty();
        assertThat(cleanup.cleanup().stagingHourDirs()).isEqualTo(2);
        assertThat(store.stagingFiles()).containsOnlyKeys(OPEN);
        assertThat(Files.exists(dir.resolve("staging").resolve(H1.relativePath()))).isFalse();
        assertThat(TestMeasurements.readSnapshot(spark, store)).isEqualTo(TestMeasurements.canonical(input));
    }

    @Test
    void lateFilesInACompactedHourAreReadAtOnceAndMergedByTheNextRun() throws IOException {
        List<Row> first = TestMeasurements.hour(H1, 0, 10, 2, 11);
        TestMeasurements.writeStaging(spark, first, store.stagingRoot(), 3);
        Compactor compactor = compactor(settings);
        compactor.run(CompactionRequest.upTo(HORIZON));
        List<String> v1Files = store.currentManifest(H1).orElseThrow().files();

        List<Row> late = TestMeasurements.hour(H1, 500, 4, 2, 12);
        TestMeasurements.writeStaging(spark, late, store.stagingRoot(), 2);
        List<Row> all = new ArrayList<>(first);
        all.addAll(late);
        assertThat(TestMeasurements.readSnapshot(spark, store)).isEqualTo(TestMeasurements.canonical(all));

        CompactionRun second = compactor.run(CompactionRequest.upTo(HORIZON));

        assertThat(second.compacted()).singleElement().satisfies(hour -> {
            assertThat(hour.version()).isEqualTo(2);
            assertThat(hour.warehouseFilesIn()).isEqualTo(v1Files.size());
            assertThat(hour.stagingFilesIn()).isEqualTo(2);
            assertThat(hour.rows()).isEqualTo(all.size());
        });
        HourManifest v2 = store.currentManifest(H1).orElseThrow();
        assertThat(v2.sources()).containsExactlyInAnyOrderElementsOf(names(store.stagingFiles().get(H1)));
        assertThat(v2.eventCount()).isEqualTo(all.stream().mapToLong(row -> row.getLong(4)).sum());
        assertThat(TestMeasurements.readSnapshot(spark, store)).isEqualTo(TestMeasurements.canonical(all));

        // Twice the grace: the clock stands still while the test runs, and v1's files must also be
        // older than the grace by their modification time (which follows the real clock).
        clock.advance(GRACE.multipliedBy(2));
        compactor.run(CompactionRequest.upTo(HORIZON));

        List<String> left = new ArrayList<>();
        for (FileStatus status : store.warehouseFileSystem().listStatus(store.warehouseHourDir(H1))) {
            if (!status.getPath().getName().endsWith(".crc")) {
                left.add(status.getPath().getName());
            }
        }
        List<String> expected = new ArrayList<>(v2.files());
        expected.add("_manifest-0000000002.json");
        assertThat(left).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(store.stagingFiles()).isEmpty();
        assertThat(TestMeasurements.readSnapshot(spark, store)).isEqualTo(TestMeasurements.canonical(all));
    }

    @Test
    void lateRowsOfWindowsAlreadyCompactedAreFoldedIntoOneRowPerWindow() throws IOException {
        List<Row> finals = TestMeasurements.hour(H1, 0, 6, 2, 31);
        TestMeasurements.writeStaging(spark, finals, store.stagingRoot(), 2);
        Compactor compactor = compactor(settings);
        compactor.run(CompactionRequest.upTo(HORIZON));
        // Late rows for the same keys: every window of device 0 gets 2 more events, 1.0 and 40.0.
        List<Row> lateRows = new ArrayList<>();
        for (Row row : finals) {
            if (row.getInt(2) == 0) {
                lateRows.add(org.apache.spark.sql.RowFactory.create(row.get(0), row.get(1), 0, row.getInt(3), 2L, 41.0,
                        1.0, 40.0, 20.5));
            }
        }
        TestMeasurements.writeStaging(spark, lateRows, store.stagingRoot(), 1);
        List<String> expected = TestMeasurements.canonical(TestMeasurements.folded(finals, lateRows));
        long expectedEvents = finals.stream().mapToLong(r -> r.getLong(4)).sum() + 2L * lateRows.size();

        CompactionRun run = compactor.run(CompactionRequest.upTo(HORIZON));

        assertThat(run.failures()).isEmpty();
        HourManifest v2 = store.currentManifest(H1).orElseThrow();
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.rowCount()).as("one row per window").isEqualTo(finals.size());
        assertThat(v2.eventCount()).isEqualTo(expectedEvents);
        List<String> raw = new ArrayList<>();
        v2.files().forEach(file -> raw.add(new Path(store.warehouseHourDir(H1), file).toString()));
        assertThat(TestMeasurements.canonical(spark.read().schema(MeasurementColumns.SCHEMA)
                .parquet(raw.toArray(String[]::new)).collectAsList())).isEqualTo(expected);
    }

    @Test
    void aDryRunReportsWhatItWouldDoAndChangesNothing() throws IOException {
        TestMeasurements.writeStaging(spark, TestMeasurements.hour(H1, 0, 10, 2, 21), store.stagingRoot(), 2);
        Compactor compactor = compactor(settings);
        compactor.run(CompactionRequest.upTo(HORIZON));
        TestMeasurements.writeStaging(spark, TestMeasurements.hour(H1, 100, 2, 2, 22), store.stagingRoot(), 1);
        TestMeasurements.writeStaging(spark, TestMeasurements.hour(H2, 0, 10, 2, 23), store.stagingRoot(), 2);
        clock.advance(GRACE.plusSeconds(1));
        Map<String, String> before = tree(dir);

        CompactionRun dryRun = compactor.run(CompactionRequest.upTo(HORIZON).asDryRun());

        assertThat(dryRun.dryRun()).isTrue();
        assertThat(dryRun.compacted()).extracting(HourCompaction::hour, HourCompaction::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(H1, 2L), org.assertj.core.groups.Tuple.tuple(H2, 1L));
        assertThat(dryRun.cleanup().stagingFiles()).as("v1's sources are past the grace").isEqualTo(2);
        assertThat(tree(dir)).isEqualTo(before);
    }

    @Test
    void theSchedulerCompactsAnHourOnceTheWatermarkPassesItAndStopsCleanly() throws IOException {
        List<Row> h1 = TestMeasurements.hour(H1, 0, 10, 2, 31);
        List<Row> input = new ArrayList<>(h1);
        input.addAll(TestMeasurements.hour(H2, 0, 10, 2, 32));
        TestMeasurements.writeStaging(spark, input, store.stagingRoot(), 2);
        AtomicReference<Optional<Instant>> watermark = new AtomicReference<>(Optional.empty());
        CompactionSettings scheduled = settings.withSchedule(Duration.ZERO, Duration.ofMillis(100));
        CompactionScheduler scheduler = new CompactionScheduler(compactor(scheduled), scheduled, watermark::get);
        try {
            scheduler.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.report().runs() >= 2);
            assertThat(store.currentManifests()).as("no watermark yet: nothing is closed").isEmpty();

            watermark.set(Optional.of(H1.end().plus(scheduled.watermarkLag())));
            await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.report().hoursCompacted() >= 1);
        } finally {
            assertThat(scheduler.stop(Duration.ofSeconds(60))).isTrue();
        }

        assertThat(store.currentManifests()).containsOnlyKeys(H1);
        CompactionReport report = scheduler.report();
        assertThat(report.hoursCompacted()).isEqualTo(1);
        assertThat(report.rowsWritten()).isEqualTo(h1.size());
        assertThat(report.filesIn()).isEqualTo(2);
        assertThat(report.failures()).isZero();
        assertThat(report.lastRunAt()).isPresent();
        assertThat(TestMeasurements.readSnapshot(spark, store)).isEqualTo(TestMeasurements.canonical(input));
        long runs = report.runs();
        assertThat(scheduler.runNow()).as("no runs after stop").isCompletedExceptionally();
        assertThat(scheduler.report().runs()).isEqualTo(runs);
    }

    private Compactor compactor(CompactionSettings compactionSettings) {
        return new Compactor(spark, store, compactionSettings, clock, FaultInjector.NONE);
    }

    /** Rows are ordered by device, metric, window within each file and from one file to the next. */
    private void assertSortedAcrossFiles(HourPartition hour, HourManifest manifest) {
        List<String> files = manifest.files().stream().sorted()
                .map(name -> new Path(store.warehouseHourDir(hour), name).toString()).toList();
        List<Row> previous = new ArrayList<>();
        for (String file : files) {
            List<Row> rows = spark.read().parquet(file).select("device_id", "metric_id", "window_start").collectAsList();
            previous.addAll(rows);
        }
        List<String> keys = previous.stream()
                .map(row -> String.format("%06d|%06d|%s", row.getInt(0), row.getInt(1), row.getTimestamp(2).toInstant()))
                .toList();
        assertThat(keys).isSorted();
    }

    private void assertTimestampsAreMicros(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(
                HadoopInputFile.fromPath(file, spark.sparkContext().hadoopConfiguration()))) {
            LogicalTypeAnnotation type = reader.getFileMetaData().getSchema().getType("window_start").getLogicalTypeAnnotation();
            assertThat(type).isEqualTo(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
        }
    }

    private static Map<HourPartition, Long> bytesByHour(Map<HourPartition, List<FileStatus>> files) {
        Map<HourPartition, Long> bytes = new TreeMap<>();
        files.forEach((hour, list) -> bytes.put(hour, list.stream().mapToLong(FileStatus::getLen).sum()));
        return bytes;
    }

    private static List<String> names(List<FileStatus> files) {
        return files.stream().map(file -> file.getPath().getName()).toList();
    }

    /** Every file and directory under root, with size and modification time. */
    private static Map<String, String> tree(java.nio.file.Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<java.nio.file.Path> paths = Files.walk(root)) {
            for (java.nio.file.Path path : paths.toList()) {
                entries.put(root.relativize(path).toString(), Files.size(path) + "@" + Files.getLastModifiedTime(path));
            }
        }
        return entries;
    }
}
