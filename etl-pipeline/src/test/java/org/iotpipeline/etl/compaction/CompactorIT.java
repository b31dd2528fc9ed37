package org.iotpipeline.etl.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    @SuppressWarnings("unused")
    private static Set<String> tree(java.nio.file.Path root) throws IOException {
        try (Stream<java.nio.file.Path> paths = Files.walk(root)) {
            return Set.copyOf(paths.map(root::relativize).map(Object::toString).toList());
        }
    }
}
