package org.iotpipeline.etl.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CompactionSettingsTest {

    @Test
    void referenceDefaults() {
        CompactionSettings settings = CompactionSettings.fromConfig(ConfigFactory.defaultReference());

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.initialDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.watermarkLag()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.standaloneLag()).isEqualTo(Duration.ofHours(2));
        assertThat(settings.targetFileSize()).isEqualTo(128L * 1024 * 1024);
        assertThat(settings.rowGroupSize()).isEqualTo(128L * 1024 * 1024);
        assertThat(settings.compression()).isEqualTo("zstd");
        assertThat(settings.grace()).isEqualTo(Duration.ofMinutes(10));
        StorePaths paths = StorePaths.fromConfig(ConfigFactory.defaultReference());
        assertThat(paths).isEqualTo(new StorePaths("data/staging/measurements", "data/warehouse/measurements"));
    }

    @Test
    void overridesApply() {
        Config config = ConfigFactory.parseString("""
                etl-pipeline.compaction { target-file-size = 64MiB, grace = 30s, compression = SNAPPY, enabled = false }
                etl-pipeline.paths.staging = "s3a://bucket/staging"
                """).withFallback(ConfigFactory.defaultReference()).resolve();

        CompactionSettings settings = CompactionSettings.fromConfig(config);

        assertThat(settings.targetFileSize()).isEqualTo(64L * 1024 * 1024);
        assertThat(settings.grace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.compression()).isEqualTo("snappy");
        assertThat(settings.enabled()).isFalse();
        assertThat(StorePaths.fromConfig(config).staging()).isEqualTo("s3a://bucket/staging");
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> settings("compression = brotli5"))
                .hasMessageContaining("etl-pipeline.compaction.compression").hasMessageContaining("brotli5");
        assertThatThrownBy(() -> settings("interval = 0s")).hasMessageContaining("etl-pipeline.compaction.interval");
        assertThatThrownBy(() -> settings("grace = -1s")).hasMessageContaining("etl-pipeline.compaction.grace");
        assertThatThrownBy(() -> settings("target-file-size = 0")).hasMessageContaining("target-file-size");
    }

    private static CompactionSettings settings(String compaction) {
        return CompactionSettings.fromConfig(ConfigFactory.parseString("etl-pipeline.compaction { " + compaction + " }")
                .withFallback(ConfigFactory.defaultReference()).resolve());
    }
}
