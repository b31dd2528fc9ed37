package org.iotpipeline.etl.compaction;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one compaction run did.
 *
 * @param startedAt   start of the run (by the compactor's clock)
 * @param took        wall time of the run
 * @param horizon     hours ending at or before it were eligible; empty: clean-up only
 * @param dryRun      nothing was changed; {@code compacted} and {@code cleanup} say what would have been
 * @param compacted   hours compacted (published), oldest first
 * @param failures    hours whose compaction failed (not published)
 * @param cleanup     what the clean-up pass deleted (tiers included)
 * @param tiers       partitions of the hourly and daily tiers built (or that would be)
 * @param tierFailures tier partitions whose build failed (left as they were)
 * @param retention   what retention dropped (or would drop)
 */
public record CompactionRun(Instant startedAt, Duration took, Optional<Instant> horizon, boolean dryRun,
                            List<HourCompaction> compacted, List<HourFailure> failures, CleanupResult cleanup,
                            List<TierBuild> tiers, List<TierFailure> tierFailures, RetentionResult retention) {

    public CompactionRun {
        compacted = List.copyOf(compacted);
        failures = List.copyOf(failures);
        tiers = List.copyOf(tiers);
        tierFailures = List.copyOf(tierFailures);
        java.util.Objects.requireNonNull(retention, "retention is null");
    }

    public int filesIn() {
        return compacted.stream().mapToInt(HourCompaction::filesIn).sum();
    }

    public int filesOut() {
        return compacted.stream().mapToInt(HourCompaction::filesOut).sum();
    }

    public long rows() {
        return compacted.stream().mapToLong(HourCompaction::rows).filter(rows -> rows > 0).sum();
    }

    /** One line for the log. */
    public String summary() {
        String horizonText = horizon.map(Instant::toString).orElse("none (clean-up only)");
        if (dryRun) {
            return String.format(Locale.ROOT, "dry run: would compact %d hours (%d files in, at most %d out), build %d tier "
                            + "partitions, drop %d partitions by retention and delete %d files (%d waiting for the grace), "
                            + "horizon %s, %d ms", compacted.size(), filesIn(), filesOut(), tiers.size(), retention.dropped(),
                    cleanup.deleted(), cleanup.waiting(), horizonText, took.toMillis());
        }
        return String.format(Locale.ROOT, "%d hours compacted (%d files in, %d out, %d rows), %d failed; %d tier partitions "
                        + "built, %d failed; %d dropped by retention; %d deleted, %d waiting for the grace, horizon %s, %d ms",
                compacted.size(), filesIn(), filesOut(), rows(), failures.size(), tiers.size(), tierFailures.size(),
                retention.dropped(), cleanup.deleted(), cleanup.waiting(), horizonText, took.toMillis());
    }
}
