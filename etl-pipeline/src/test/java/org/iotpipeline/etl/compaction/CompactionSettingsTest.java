package org.iotpipeline.etl.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.iotpipeline.config.ReferenceConfig;
import org.junit.jupiter.api.Test;

class CompactionSettingsTest {

    @Test
    void everyDefault() {
        assertThat(CompactionSettings.fromConfig(ReferenceConfig.defaults())).isEqualTo(new CompactionSettings(
                true,
                Duration.ofMinutes(5),
                Duration.ofSeconds(30),
                Duration.ofMinutes(5),
                Duration.ofHours(2),
                128L * 1024 * 1024,
                128L * 1024 * 1024,
                "zstd",
                Duration.ofMinutes(10),
                true,
                new Retention(Duration.ZERO, Duration.ZERO, Duration.ZERO)));
        assertThat(StorePaths.fromConfig(ReferenceConfig.defaults()))
                .isEqualTo(new StorePaths("data/staging/measurements", "data/warehouse/measurements"));
    }

    @Test
    void everyKeyOverridden() {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("etl-pipeline.compaction.enabled", false);
        overrides.put("etl-pipeline.compaction.interval", "1m");
        overrides.put("etl-pipeline.compaction.initial-delay", "0s");
        overrides.put("etl-pipeline.compaction.watermark-lag", "10m");
        overrides.put("etl-pipeline.compaction.standalone-lag", "3h");
        overrides.put("etl-pipeline.compaction.target-file-size", "64MiB");
        overrides.put("etl-pipeline.compaction.row-group-size", "32MiB");
        overrides.put("etl-pipeline.compaction.compression", "SNAPPY");
        overrides.put("etl-pipeline.compaction.grace", "30s");
        overrides.put("etl-pipeline.compaction.tiers", "on");
        overrides.put("etl-pipeline.compaction.retention.five-minute", "30d");
        overrides.put("etl-pipeline.compaction.retention.hourly", "400d");
        overrides.put("etl-pipeline.compaction.retention.daily", "1000d");

        assertThat(overrides.keySet()).as("every key of reference.conf, and only those")
                .containsExactlyInAnyOrderElementsOf(ReferenceConfig.keysUnder(CompactionSettings.PATH));
        assertThat(ReferenceConfig.unchanged(overrides)).as("overrides equal to the default (retention needs tiers on; off is tested below)")
                .containsExactly("etl-pipeline.compaction.tiers");
        assertThat(CompactionSettings.fromConfig(ReferenceConfig.with(overrides))).isEqualTo(new CompactionSettings(
                false,
                Duration.ofMinutes(1),
                Duration.ZERO,
                Duration.ofMinutes(10),
                Duration.ofHours(3),
                64L * 1024 * 1024,
                32L * 1024 * 1024,
                "snappy",
                Duration.ofSeconds(30),
                true,
                new Retention(Duration.ofDays(30), Duration.ofDays(400), Duration.ofDays(1000))));
    }

    @Test
    void tiersOffKeepsEverythingAndNeedsNoRetention() {
        assertThat(settings("tiers = off").tiers()).isFalse();
        assertThatThrownBy(() -> settings("tiers = off, retention.five-minute = 30d"))
                .hasMessageStartingWith("etl-pipeline.compaction.retention needs etl-pipeline.compaction.tiers on");
    }

    @Test
    void storePathsFollowTheEtlsPaths() {
        Config config = ReferenceConfig.with(Map.of("etl-pipeline.paths.staging", "s3a://bucket/staging"));

        assertThat(StorePaths.fromConfig(config)).isEqualTo(new StorePaths("s3a://bucket/staging", "data/warehouse/measurements"));
        assertThatThrownBy(() -> StorePaths.fromConfig(ReferenceConfig.with(Map.of("etl-pipeline.paths.warehouse", ""))))
                .hasMessage("etl-pipeline.paths.warehouse must not be empty");
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> settings("compression = brotli5"))
                .hasMessageContaining("etl-pipeline.compaction.compression").hasMessageContaining("brotli5");
        assertThatThrownBy(() -> settings("interval = 0s")).hasMessage("etl-pipeline.compaction.interval must be positive, got PT0S");
        assertThatThrownBy(() -> settings("grace = -1s")).hasMessage("etl-pipeline.compaction.grace must not be negative, got PT-1S");
        assertThatThrownBy(() -> settings("target-file-size = 0"))
                .hasMessage("etl-pipeline.compaction.target-file-size must be at least 1, got 0");
        assertThatThrownBy(() -> settings("retention.daily = -1d"))
                .hasMessage("etl-pipeline.compaction.retention.daily must not be negative, got PT-24H");
        assertThatThrownBy(() -> settings("retention.five-minute = 2d"))
                .hasMessageStartingWith("etl-pipeline.compaction.retention.five-minute (PT48H) must be at least"
                        + " iot.events.max-event-age + 1 day (PT192H)");
    }

    private static CompactionSettings settings(String compaction) {
        return CompactionSettings.fromConfig(ConfigFactory.parseString("etl-pipeline.compaction { " + compaction + " }")
                .withFallback(ReferenceConfig.defaults()).resolve());
    }
}
