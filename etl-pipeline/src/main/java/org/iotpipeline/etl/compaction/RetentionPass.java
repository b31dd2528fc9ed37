package org.iotpipeline.etl.compaction;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.iotpipeline.store.Tier;
import org.iotpipeline.store.TierManifest;
import org.iotpipeline.store.TierPartition;
import org.iotpipeline.store.TierStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link Retention}: a partition older than its tier's limit is dropped by publishing a
 * new manifest version that lists no file and is marked {@code retired} — one atomic step, so a
 * reader sees the whole partition or none of it — and only when the next coarser tier's current
 * manifest was built from exactly the partition's current version (its rows live on there). The
 * files go after the grace period, with the clean-up. The daily tier is dropped for good.
 */
final class RetentionPass {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionPass.class);

    private final MeasurementsStore store;
    private final TierStore hourly;
    private final TierStore daily;
    private final Retention retention;
    private final Clock clock;

    RetentionPass(MeasurementsStore store, TierStore hourly, TierStore daily, Retention retention, Clock clock) {
        this.store = Objects.requireNonNull(store, "store is null");
        this.hourly = Objects.requireNonNull(hourly, "hourly is null");
        this.daily = Objects.requireNonNull(daily, "daily is null");
        this.retention = Objects.requireNonNull(retention, "retention is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    RetentionResult apply(boolean dryRun) throws IOException {
        if (retention.equals(Retention.KEEP_EVERYTHING)) {
            return RetentionResult.NONE;
        }
        Instant now = clock.instant();
        SortedMap<TierPartition, TierManifest> days = hourly.currentManifests();
        SortedMap<TierPartition, TierManifest> months = daily.currentManifests();
        List<String> hours = new ArrayList<>();
        if (retention.fiveMinuteLimit().isPresent()) {
            Instant before = now.minus(retention.fiveMinuteLimit().get());
            Set<HourPartition> unsettled = Set.copyOf(store.snapshot().stagingHours());
            for (Map.Entry<HourPartition, HourManifest> hour : store.currentManifests().entrySet()) {
                HourManifest m = hour.getValue();
                TierManifest day = days.get(TierPartition.of(Tier.HOURLY, hour.getKey()));
                if (!m.retired() && hour.getKey().end().isBefore(before) && !unsettled.contains(hour.getKey())
                        && day != null && !day.retired()
                        && Long.valueOf(m.version()).equals(day.sources().get(hour.getKey().relativePath()))) {
                    hours.add(hour.getKey().relativePath());
                    if (dryRun) {
                        LOG.info("dry run: would drop {} (ended before {}; its rows are in measurements_1h v{})",
                                hour.getKey(), before, day.version());
                    } else {
                        store.publishManifest(hour.getKey(), new HourManifest(m.version() + 1, List.of(), m.sources(), 0, 0,
                                clock.millis(), true));
                        LOG.info("retention: dropped {} (ended before {}); its rows are in measurements_1h", hour.getKey(),
                                before);
                    }
                }
            }
        }
        List<String> droppedDays = retention.hourlyLimit().isEmpty() ? List.of()
                : dropOlder(hourly, days, now.minus(retention.hourlyLimit().get()), months, dryRun);
        List<String> droppedMonths = retention.dailyLimit().isEmpty() ? List.of()
                : dropOlder(daily, months, now.minus(retention.dailyLimit().get()), null, dryRun);
        return new RetentionResult(hours, droppedDays, droppedMonths);
    }

    /** Retires the partitions of {@code tier} that ended before {@code before} and are held by {@code coarser} (null: none). */
    private List<String> dropOlder(TierStore tier, SortedMap<TierPartition, TierManifest> current, Instant before,
                                   SortedMap<TierPartition, TierManifest> coarser, boolean dryRun) throws IOException {
        List<String> dropped = new ArrayList<>();
        for (Map.Entry<TierPartition, TierManifest> entry : current.entrySet()) {
            TierManifest m = entry.getValue();
            if (m.retired() || !entry.getKey().end().isBefore(before)) {
                continue;
            }
            if (coarser != null) {
                TierManifest holder = coarser.get(TierPartition.containing(Tier.DAILY, entry.getKey().start()));
                if (holder == null || holder.retired()
                        || !Long.valueOf(m.version()).equals(holder.sources().get(entry.getKey().relativePath()))) {
                    continue;
                }
            }
            dropped.add(entry.getKey().toString());
            if (dryRun) {
                LOG.info("dry run: would drop {} (ended before {})", entry.getKey(), before);
            } else {
                tier.publish(entry.getKey(), new TierManifest(m.version() + 1, List.of(), m.sources(), 0, 0, clock.millis(), true));
                LOG.info("retention: dropped {} (ended before {})", entry.getKey(), before);
            }
        }
        return dropped;
    }
}
