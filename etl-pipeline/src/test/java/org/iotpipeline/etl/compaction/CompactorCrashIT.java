package org.iotpipeline.etl.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kills compaction at every step (a {@link FaultInjector} that throws an {@link Error}, which
 * nothing in the compactor catches), checks what a reader sees at that moment, then runs again
 * until it converges, and checks that every input row is in the warehouse exactly once.
 */
class CompactorCrashIT {

    private static final HourPartition H1 = new HourPartition(2026, 3, 2, 5);
    private static final HourPartition H2 = new HourPartition(2026, 3, 2, 6);
    private static final HourPartition H3 = new HourPartition(2026, 3, 2, 7);
    private static final Instant HORIZON = H3.end();
    private static final Duration GRACE = Duration.ofMinutes(10);

    private static SparkSession spark;
    private static CompactionSettings settings;
    /** H1 and H2 compacted into v1 at {@link #templateTime}; then late files for H1 and a new hour H3 arrived. */
    @TempDir
    static java.nio.file.Path template;
    private static Instant templateTime;
    private static List<Row> input;

    @TempDir
    java.nio.file.Path dir;

    @BeforeAll
    static void buildTemplate() throws IOException {
        spark = LocalSpark.start("CompactorCrashIT");
        settings = CompactionSettings.fromConfig(ConfigFactory.defaultReference()).withGrace(GRACE);
        templateTime = Instant.now();
        MeasurementsStore store = open(template);
        input = new ArrayList<>();
        List<Row> first = new ArrayList<>(TestMeasurements.hour(H1, 0, 10, 2, 1));
        first.addAll(TestMeasurements.hour(H2, 0, 10, 2, 1));
        TestMeasurements.writeStaging(spark, first, store.stagingRoot(), 4);
        CompactionRun run = new Compactor(spark, store, settings, new MutableClock(templateTime), FaultInjector.NONE)
                .run(CompactionRequest.upTo(HORIZON));
        assertThat(run.compacted()).extracting(HourCompaction::hour).containsExactly(H1, H2);
        List<Row> late = new ArrayList<>(TestMeasurements.hour(H1, 100, 5, 2, 2));
        late.addAll(TestMeasurements.hour(H3, 0, 10, 2, 2));
        TestMeasurements.writeStaging(spark, late, store.stagingRoot(), 2);
        input.addAll(first);
        input.addAll(late);
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @ParameterizedTest
    @EnumSource(CompactionStep.class)
    void aRunKilledAtAnyStepLeavesEveryRowVisibleOnceAndTheNextRunsConverge(CompactionStep step) throws IOException {
        MeasurementsStore store = copyTemplate();
        // Past the grace of the template's v1, so the killed run also reaches clean-up (step DELETING).
        MutableClock clock = new MutableClock(templateTime.plus(GRACE).plusSeconds(1));
        Compactor doomed = new Compactor(spark, store, settings, clock, crashAt(step));

        assertThatThrownBy(() -> doomed.run(CompactionRequest.upTo(HORIZON))).isInstanceOf(SimulatedCrash.class);

        assertThat(TestMeasurements.readSnapshot(spark, store)).isEqualTo(TestMeasurements.canonical(input));
        boolean published = step.compareTo(CompactionStep.PUBLISHED) >= 0;
        assertThat(store.currentManifest(H1).orElseThrow().version()).isEqualTo(published ? 2 : 1);
        if (step.compareTo(CompactionStep.RENAMING) <= 0) {
            assertThat(hiddenWorkDirs(store, H1)).as("work directory left by the killed attempt").isNotEmpty();
        }
        if (!published && step != CompactionStep.WRITTEN_HIDDEN) {
            assertThat(unlistedDataFiles(store, H1)).as("renamed but unpublished files").isNotEmpty();
        }

        Compactor healthy = new Compactor(spark, store, settings, clock, FaultInjector.NONE);
        for (int run = 0; run < 3; run++) {
            healthy.run(CompactionRequest.upTo(HORIZON));
            assertThat(TestMeasurements.readSnapshot(spark, store)).isEqualTo(TestMeasurements.canonical(input));
            clock.advance(GRACE.plusSeconds(1));
        }

        assertConverged(store);
    }

    @Test
    void aCompactedCopyThatDiffersFromItsInputIsNeverPublished() throws IOException {
        MeasurementsStore store = copyTemplate();
        MutableClock clock = new MutableClock(templateTime.plusSeconds(60));
        FaultInjector dropOneRow = (step, hour) -> {
            if (step == CompactionStep.RENAMED && hour.equals(H1)) {
                dropLastRow(store, unlistedDataFiles(store, H1).get(0));
            }
        };

        CompactionRun run = new Compactor(spark, store, settings, clock, dropOneRow).run(CompactionRequest.upTo(HORIZON));

        assertThat(run.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.hour()).isEqualTo(H1);
            assertThat(failure.reason()).contains("does not match its input");
        });
        assertThat(run.compacted()).extracting(HourCompaction::hour).containsExactly(H3);
        assertThat(store.currentManifest(H1).orElseThrow().version()).isEqualTo(1);
        assertThat(unlistedDataFiles(store, H1)).as("the rejected copy is deleted at once").isEmpty();
        assertThat(TestMeasurements.readSnapshot(spark, store)).isEqualTo(TestMeasurements.canonical(input));

        CompactionRun retry = new Compactor(spark, store, settings, clock, FaultInjector.NONE)
                .run(CompactionRequest.upTo(HORIZON));
        assertThat(retry.failures()).isEmpty();
        assertThat(retry.compacted()).extracting(HourCompaction::hour).containsExactly(H1);
        assertThat(TestMeasurements.readSnapshot(spark, store)).isEqualTo(TestMeasurements.canonical(input));
    }

    /** Every hour compacted once more with everything, nothing left over anywhere, manifests exact. */
    private void assertConverged(MeasurementsStore store) throws IOException {
        assertThat(store.stagingFiles()).as("staging files left").isEmpty();
        Map<HourPartition, HourManifest> manifests = store.currentManifests();
        assertThat(manifests).containsOnlyKeys(H1, H2, H3);
        assertThat(manifests.get(H1).version()).isEqualTo(2);
        Map<HourPartition, List<Row>> inputByHour = new TreeMap<>();
        input.forEach(row -> inputByHour.computeIfAbsent(HourPartition.containing(row.getTimestamp(0).toInstant()),
                h -> new ArrayList<>()).add(row));
        for (HourPartition hour : List.of(H1, H2, H3)) {
            HourManifest manifest = manifests.get(hour);
            Set<String> expectedEntries = manifest.files().stream().collect(Collectors.toCollection(java.util.TreeSet::new));
            expectedEntries.add(String.format("_manifest-%010d.json", manifest.version()));
            assertThat(entries(store, hour)).as("warehouse %s holds only the current version", hour)
                    .containsExactlyInAnyOrderElementsOf(expectedEntries);
            assertThat(manifest.rowCount()).isEqualTo(inputByHour.get(hour).size());
            assertThat(manifest.eventCount()).isEqualTo(inputByHour.get(hour).stream().mapToLong(row -> row.getLong(4)).sum());
        }
        // The raw warehouse files, read without any rule, are the input exactly once.
        List<String> raw = new ArrayList<>();
        for (HourPartition hour : List.of(H1, H2, H3)) {
            manifests.get(hour).files().forEach(file -> raw.add(new Path(store.warehouseHourDir(hour), file).toString()));
        }
        assertThat(TestMeasurements.canonical(spark.read().schema(MeasurementColumns.SCHEMA)
                .parquet(raw.toArray(String[]::new)).collectAsList())).isEqualTo(TestMeasurements.canonical(input));
    }

    /** Entries of a warehouse hour directory other than checksum side files. */
    private static List<String> entries(MeasurementsStore store, HourPartition hour) throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus status : store.warehouseFileSystem().listStatus(store.warehouseHourDir(hour))) {
            String name = status.getPath().getName();
            if (!(name.startsWith(".") && name.endsWith(".crc"))) {
                names.add(name);
            }
        }
        return names;
    }

    private static List<String> hiddenWorkDirs(MeasurementsStore store, HourPartition hour) throws IOException {
        return entries(store, hour).stream().filter(name -> name.startsWith(HourRewriter.WORK_DIR_PREFIX)).toList();
    }

    private static List<Path> unlistedDataFiles(MeasurementsStore store, HourPartition hour) {
        try {
            Set<String> listed = Set.copyOf(store.currentManifest(hour).map(HourManifest::files).orElse(List.of()));
            return store.warehouseFiles().getOrDefault(hour, List.of()).stream().map(FileStatus::getPath)
                    .filter(path -> !listed.contains(path.getName())).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces a Parquet file by a copy without its last row. */
    private static void dropLastRow(MeasurementsStore store, Path file) {
        try {
            FileSystem fs = store.warehouseFileSystem();
            org.apache.spark.sql.Dataset<Row> written = spark.read().parquet(file.toString());
            List<Row> rows = written.collectAsList();
            Path scratch = new Path(file.getParent(), "_scratch");
            spark.createDataFrame(rows.subList(0, rows.size() - 1), written.schema()).coalesce(1).write()
                    .parquet(scratch.toString());
            FileStatus[] copy = fs.listStatus(scratch, path -> MeasurementsStore.isDataFileName(path.getName()));
            fs.delete(file, false);
            assertThat(fs.rename(copy[0].getPath(), file)).isTrue();
            fs.delete(scratch, true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private MeasurementsStore copyTemplate() throws IOException {
        try (Stream<java.nio.file.Path> paths = Files.walk(template)) {
            for (java.nio.file.Path source : paths.toList()) {
                java.nio.file.Path target = dir.resolve(template.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return open(dir);
    }

    private static MeasurementsStore open(java.nio.file.Path root) throws IOException {
        return MeasurementsStore.open(root.resolve("staging").toUri().toString(), root.resolve("warehouse").toUri().toString(),
                spark.sparkContext().hadoopConfiguration());
    }

    private static FaultInjector crashAt(CompactionStep crashStep) {
        return (step, hour) -> {
            if (step == crashStep) {
                throw new SimulatedCrash(step + " in " + hour);
            }
        };
    }

    /** The process dies here: an Error, which the compactor never catches, so nothing is tidied up. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String where) {
            super("simulated crash at " + where);
        }
    }
}
