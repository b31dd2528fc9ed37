package org.iotpipeline.etl.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compaction's names do not depend on the JVM's default locale. An hour compacted under ar-SA or
 * fa-IR (whose default digits are not ASCII) gets ASCII data file and manifest names, and a
 * compactor restarted under another locale re-compacts it into the next version as usual.
 */
class CompactionLocaleIT {

    private static final HourPartition HOUR = new HourPartition(2026, 3, 1, 10);
    private static final Instant HORIZON = HOUR.end().plusSeconds(3600);

    private static SparkSession spark;

    private final Locale originalDefault = Locale.getDefault();
    private final Locale originalFormat = Locale.getDefault(Locale.Category.FORMAT);
    private final Locale originalDisplay = Locale.getDefault(Locale.Category.DISPLAY);

    @TempDir
    java.nio.file.Path dir;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("CompactionLocaleIT");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @AfterEach
    void restoreDefaultLocale() {
        Locale.setDefault(originalDefault);
        Locale.setDefault(Locale.Category.FORMAT, originalFormat);
        Locale.setDefault(Locale.Category.DISPLAY, originalDisplay);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ar-SA", "fa-IR"})
    void anHourCompactedUnderOneLocaleHasAsciiNamesAndIsRecompactedUnderAnother(String languageTag) throws IOException {
        MeasurementsStore store = MeasurementsStore.open(dir.resolve("staging").toUri().toString(),
                dir.resolve("warehouse").toUri().toString(), spark.sparkContext().hadoopConfiguration());
        List<Row> first = TestMeasurements.hour(HOUR, 0, 10, 2, 21);
        TestMeasurements.writeStaging(spark, first, store.stagingRoot(), 3);
        useDefaultLocale(languageTag);

        CompactionRun underLocale = compactor(store).run(CompactionRequest.upTo(HORIZON));

        assertThat(underLocale.failures()).isEmpty();
        assertThat(underLocale.compacted()).extracting(HourCompaction::version).containsExactly(1L);
        assertThat(warehouseNames()).allMatch(CompactionLocaleIT::isAscii).contains("_manifest-0000000001.json")
                .anyMatch(name -> name.matches("part-c0000000001-[0-9a-f-]{36}-00000\\.parquet"));
        assertThat(HourArgument.format(HOUR)).isEqualTo("2026-03-01T10");
        assertThat(new HourArgument().convert(HourArgument.format(HOUR))).isEqualTo(HOUR);

        Locale.setDefault(Locale.ROOT);
        List<Row> late = TestMeasurements.hour(HOUR, 100, 3, 2, 22);
        TestMeasurements.writeStaging(spark, late, store.stagingRoot(), 1);
        MeasurementsStore restarted = MeasurementsStore.open(store.stagingRoot().toString(), store.warehouseRoot().toString(),
                spark.sparkContext().hadoopConfiguration());
        CompactionRun afterRestart = compactor(restarted).run(CompactionRequest.upTo(HORIZON));

        assertThat(afterRestart.failures()).isEmpty();
        assertThat(afterRestart.compacted()).singleElement().satisfies(hour -> {
            assertThat(hour.version()).isEqualTo(2);
            assertThat(hour.warehouseFilesIn()).isEqualTo(underLocale.filesOut());
        });
        HourManifest current = restarted.currentManifest(HOUR).orElseThrow();
        assertThat(current.version()).isEqualTo(2);
        assertThat(warehouseNames()).allMatch(CompactionLocaleIT::isAscii)
                .contains("_manifest-0000000001.json", "_manifest-0000000002.json");
        List<Row> all = new ArrayList<>(first);
        all.addAll(late);
        assertThat(TestMeasurements.readSnapshot(spark, restarted)).isEqualTo(TestMeasurements.canonical(all));
    }

    private Compactor compactor(MeasurementsStore store) {
        CompactionSettings settings = CompactionSettings.fromConfig(ConfigFactory.defaultReference());
        return new Compactor(spark, store, settings, new MutableClock(Instant.now()), FaultInjector.NONE);
    }

    /** Sets the default locale, and checks the premise: this JDK then formats digits that are not ASCII. */
    private static void useDefaultLocale(String languageTag) {
        Locale.setDefault(Locale.forLanguageTag(languageTag));
        assertThat(String.format("%010d", 1L)).as("digits of %s on this JDK", languageTag).isNotEqualTo("0000000001");
    }

    /** Names of the files in the warehouse hour (checksums included, Spark's work directory gone). */
    private List<String> warehouseNames() throws IOException {
        java.nio.file.Path hourDir = dir.resolve("warehouse").resolve(HOUR.relativePath());
        try (Stream<java.nio.file.Path> files = Files.list(hourDir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean isAscii(String name) {
        return name.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
    }
}
