package org.iotpipeline.etl.compaction;

import java.time.Duration;
import java.util.Optional;
import org.iotpipeline.config.SettingChecks;

/**
 * How long each tier keeps its rows ({@code etl-pipeline.compaction.retention}); zero keeps them
 * forever (the default). Compaction drops a partition older than its tier's retention only once
 * the next coarser tier holds its rows, in one atomic step for readers (a manifest marked
 * {@code retired}), and deletes its files after the grace period.
 *
 * @param fiveMinute hours of table {@code measurements}
 * @param hourly     days of table {@code measurements_1h}
 * @param daily      months of table {@code measurements_1d} (nothing coarser: dropped for good)
 */
public record Retention(Duration fiveMinute, Duration hourly, Duration daily) {

    public static final Retention KEEP_EVERYTHING = new Retention(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public Retention {
        SettingChecks.notNegative(CompactionSettings.key("retention.five-minute"), fiveMinute);
        SettingChecks.notNegative(CompactionSettings.key("retention.hourly"), hourly);
        SettingChecks.notNegative(CompactionSettings.key("retention.daily"), daily);
        requireCoarserLonger("hourly", hourly, "five-minute", fiveMinute);
        requireCoarserLonger("daily", daily, "hourly", hourly);
    }

    /**
     * Checks the five-minute retention against the oldest event the pipeline accepts: an hour must
     * be dropped only once no event can arrive for it any more (its rows would come back as late
     * rows of an hour without its final rows).
     *
     * @param maxEventAge {@code iot.events.max-event-age}; the ETL accepts one minute more
     */
    public void requireBeyond(Duration maxEventAge) {
        Duration needed = maxEventAge.plusDays(1);
        if (!fiveMinute.isZero() && fiveMinute.compareTo(needed) < 0) {
            throw SettingChecks.invalid(CompactionSettings.key("retention.five-minute"), "(" + fiveMinute
                    + ") must be at least iot.events.max-event-age + 1 day (" + needed + "): events may still arrive for"
                    + " hours younger than that");
        }
    }

    public Optional<Duration> fiveMinuteLimit() {
        return limit(fiveMinute);
    }

    public Optional<Duration> hourlyLimit() {
        return limit(hourly);
    }

    public Optional<Duration> dailyLimit() {
        return limit(daily);
    }

    private static Optional<Duration> limit(Duration d) {
        return d.isZero() ? Optional.empty() : Optional.of(d);
    }

    private static void requireCoarserLonger(String coarse, Duration coarser, String fine, Duration finer) {
        boolean keptForever = coarser.isZero();
        if (!keptForever && (finer.isZero() || coarser.compareTo(finer) < 0)) {
            throw SettingChecks.invalid(CompactionSettings.key("retention." + coarse), "(" + coarser
                    + ") must be 0 (forever) or at least retention." + fine + " (" + (finer.isZero() ? "forever" : finer)
                    + "): a coarser tier keeps its rows at least as long");
        }
    }
}
