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
 * @param cleanup     what the clean-up pass deleted
 */
public record CompactionRun(Instant startedAt, Duration took, Optional<Instant> horizon, boolean dryRun,
                            List<HourCompaction> compacted, List<HourFailure> failures, CleanupResult cleanup) {

    public CompactionRun {
        compacted = List.copyOf(compacted);
        failures = List.copyOf(failures);
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
            return String.format(Locale.ROOT, "dry run: would compact %d hours (%d files in, at most %d out) and delete %d files "
                            + "(%d waiting for the grace), horizon %s, %d ms", compacted.size(), filesIn(), filesOut(),
                    cleanup.deleted(), cleanup.waiting(), horizonText, took.toMillis());
        }
        return String.format(Locale.ROOT, "%d hours compacted (%d files in, %d out, %d rows), %d failed, %d deleted, %d waiting "
                        + "for the grace, horizon %s, %d ms", compacted.size(), filesIn(), filesOut(), rows(),
                failures.size(), cleanup.deleted(), cleanup.waiting(), horizonText, took.toMillis());
    }
}
