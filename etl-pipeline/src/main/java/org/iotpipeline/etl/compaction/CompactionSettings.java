package org.iotpipeline.etl.compaction;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.iotpipeline.config.ConfigSection;
import org.iotpipeline.config.SettingChecks;

/**
 * Compaction settings, built once at start from {@code etl-pipeline.compaction} (every key and its
 * default is in {@code reference.conf}).
 *
 * @param enabled         whether the ETL service runs compaction on a schedule
 * @param interval        pause between the end of one scheduled run and the start of the next
 * @param initialDelay    pause between the service start and the first scheduled run
 * @param watermarkLag    scheduled: hours ending at or before (watermark - lag) are closed
 * @param standaloneLag   one-shot: hours ending at or before (now - lag) are closed
 * @param targetFileSize  wanted bytes per compacted file
 * @param rowGroupSize    Parquet row-group bytes of compacted files
 * @param compression     Parquet codec of compacted files
 * @param grace           how long superseded files and crash leftovers outlive their last reader
 * @param tiers           whether compaction also builds the hourly and daily tiers
 * @param retention       how long each tier keeps its rows
 */
public record CompactionSettings(boolean enabled, Duration interval, Duration initialDelay, Duration watermarkLag,
                                 Duration standaloneLag, long targetFileSize, long rowGroupSize, String compression,
                                 Duration grace, boolean tiers, Retention retention) {

    /** The root key of these settings. */
    public static final String PATH = "etl-pipeline.compaction";

    private static final Set<String> CODECS = Set.of("zstd", "snappy", "gzip", "lz4_raw", "none", "uncompressed");

    public CompactionSettings {
        SettingChecks.positive(key("interval"), interval);
        SettingChecks.notNegative(key("initial-delay"), initialDelay);
        SettingChecks.notNegative(key("watermark-lag"), watermarkLag);
        SettingChecks.notNegative(key("standalone-lag"), standaloneLag);
        SettingChecks.atLeast(key("target-file-size"), targetFileSize, 1);
        SettingChecks.atLeast(key("row-group-size"), rowGroupSize, 1);
        compression = Objects.requireNonNull(compression, "compression is null").toLowerCase(Locale.ROOT);
        if (!CODECS.contains(compression)) {
            throw SettingChecks.invalid(key("compression"), "must be one of " + CODECS + ", got '" + compression + "'");
        }
        SettingChecks.notNegative(key("grace"), grace);
        Objects.requireNonNull(retention, "retention is null");
        if (!tiers && !retention.equals(Retention.KEEP_EVERYTHING)) {
            throw SettingChecks.invalid(key("retention"), "needs " + PATH + ".tiers on: an hour is only dropped"
                    + " once the hourly tier holds its rows");
        }
    }

    /** Reads {@code etl-pipeline.compaction} from a resolved configuration. */
    public static CompactionSettings fromConfig(Config root) {
        ConfigSection c = ConfigSection.of(root, PATH);
        Retention retention = new Retention(c.getDuration("retention.five-minute"), c.getDuration("retention.hourly"),
                c.getDuration("retention.daily"));
        if (root.hasPath("iot.events.max-event-age")) {
            retention.requireBeyond(root.getDuration("iot.events.max-event-age"));
        }
        return new CompactionSettings(c.getBoolean("enabled"), c.getDuration("interval"), c.getDuration("initial-delay"),
                c.getDuration("watermark-lag"), c.getDuration("standalone-lag"), c.getBytes("target-file-size"),
                c.getBytes("row-group-size"), c.getString("compression"), c.getDuration("grace"), c.getBoolean("tiers"),
                retention);
    }

    /** A copy with another target file size. */
    public CompactionSettings withTargetFileSize(long bytes) {
        return new CompactionSettings(enabled, interval, initialDelay, watermarkLag, standaloneLag, bytes, rowGroupSize,
                compression, grace, tiers, retention);
    }

    /** A copy with another grace period. */
    public CompactionSettings withGrace(Duration newGrace) {
        return new CompactionSettings(enabled, interval, initialDelay, watermarkLag, standaloneLag, targetFileSize,
                rowGroupSize, compression, newGrace, tiers, retention);
    }

    /** A copy with another schedule. */
    public CompactionSettings withSchedule(Duration newInitialDelay, Duration newInterval) {
        return new CompactionSettings(enabled, newInterval, newInitialDelay, watermarkLag, standaloneLag, targetFileSize,
                rowGroupSize, compression, grace, tiers, retention);
    }

    /** A copy with other retention limits (tiers on). */
    public CompactionSettings withRetention(Retention newRetention) {
        return new CompactionSettings(enabled, interval, initialDelay, watermarkLag, standaloneLag, targetFileSize,
                rowGroupSize, compression, grace, true, newRetention);
    }

    /** The full key of a setting of this section, as messages name it. */
    static String key(String key) {
        return PATH + "." + key;
    }
}
