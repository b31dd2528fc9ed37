package org.iotpipeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Manifest names do not depend on the JVM's default locale: a compactor running under ar-SA or
 * fa-IR (whose default digits are not ASCII) publishes {@code _manifest-0000000001.json}, and a
 * store opened later under another locale finds that version and refuses to publish it again.
 */
class ManifestNameLocaleTest {

    private static final HourPartition HOUR = new HourPartition(2026, 11, 29, 1);

    private final Locale originalDefault = Locale.getDefault();
    private final Locale originalFormat = Locale.getDefault(Locale.Category.FORMAT);
    private final Locale originalDisplay = Locale.getDefault(Locale.Category.DISPLAY);

    @TempDir
    Path root;

    @AfterEach
    void restoreDefaultLocale() {
        Locale.setDefault(originalDefault);
        Locale.setDefault(Locale.Category.FORMAT, originalFormat);
        Locale.setDefault(Locale.Category.DISPLAY, originalDisplay);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ar-SA", "fa-IR"})
    void manifestNamesAreAsciiUnderEveryDefaultLocale(String languageTag) {
        useDefaultLocale(languageTag);

        assertThat(MeasurementsStore.manifestName(1)).isEqualTo("_manifest-0000000001.json");
        assertThat(MeasurementsStore.manifestName(1_234_567_890L)).isEqualTo("_manifest-1234567890.json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ar-SA", "fa-IR"})
    void aManifestPublishedUnderOneLocaleIsFoundUnderAnother(String languageTag) throws IOException {
        Files.createDirectories(root.resolve("warehouse").resolve(HOUR.relativePath()));
        Files.createFile(root.resolve("warehouse").resolve(HOUR.relativePath()).resolve("part-c1-0.parquet"));
        useDefaultLocale(languageTag);

        open().publishManifest(HOUR, manifest());

        assertThat(namesIn(root.resolve("warehouse").resolve(HOUR.relativePath())))
                .containsExactly("_manifest-0000000001.json", "part-c1-0.parquet");

        Locale.setDefault(Locale.ROOT);
        MeasurementsStore restarted = open();
        assertThat(restarted.currentManifest(HOUR)).get().extracting(HourManifest::version).isEqualTo(1L);
        assertThatThrownBy(() -> restarted.publishManifest(HOUR, manifest()))
                .isInstanceOf(IOException.class).hasMessageContaining("already exists");
    }

    /** Sets the default locale, and checks the premise: this JDK then formats digits that are not ASCII. */
    private static void useDefaultLocale(String languageTag) {
        Locale.setDefault(Locale.forLanguageTag(languageTag));
        assertThat(String.format("%d", 7)).as("digits of %s on this JDK", languageTag).isNotEqualTo("7");
    }

    private MeasurementsStore open() throws IOException {
        return MeasurementsStore.open(root.resolve("staging").toUri().toString(),
                root.resolve("warehouse").toUri().toString(), new Configuration());
    }

    private static HourManifest manifest() {
        return new HourManifest(1, List.of("part-c1-0.parquet"), List.of(), 10, 20, 1_764_000_000_000L);
    }

    /** Names of the visible files (checksums and temporary files start with "."). */
    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> !name.startsWith(".")).sorted().toList();
        }
    }
}
