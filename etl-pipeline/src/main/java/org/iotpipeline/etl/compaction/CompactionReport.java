package org.iotpipeline.etl.compaction;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Running totals of compaction in this process, for /status and /metrics. Immutable: each run
 * yields a new report.
 *
 * @param runs            runs finished (including failed ones)
 * @param hoursCompacted  hour versions published
 * @param filesIn         files merged (warehouse and staging)
 * @param filesOut        files written and published
 * @param rowsWritten     rows in the published versions
 * @param filesDeleted    superseded files, leftovers and empty directories deleted
 * @param failures        hours that failed, plus runs that failed as a whole (e.g. store unreadable)
 * @param lastRunAt       start of the last run
 * @param lastRunTook     wall time of the last run
 * @param lastHorizon     the horizon of the last run (empty: it only cleaned up)
 * @param lastError       the error of the last run, if it had one
 * @param tierPartitionsBuilt partitions of measurements_1h and measurements_1d published
 * @param retentionDropped    partitions (5-minute hours, hourly days, daily months) dropped by retention
 */
public record CompactionReport(long runs, long hoursCompacted, long filesIn, long filesOut, long rowsWritten,
                               long filesDeleted, long failures, Optional<Instant> lastRunAt,
                               Optional<Duration> lastRunTook, Optional<Instant> lastHorizon,
                               Optional<String> lastError, long tierPartitionsBuilt, long retentionDropped) {

    /** Before the first run. */
    public static final CompactionReport EMPTY = new CompactionReport(0, 0, 0, 0, 0, 0, 0, Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), 0, 0);

    /** This report plus one finished run. */
    public CompactionReport plus(CompactionRun run) {
        if (run.dryRun()) {
            return this;
        }
        Optional<String> error = run.failures().isEmpty() ? Optional.empty()
                : Optional.of(run.failures().size() + " hour(s) failed, first " + run.failures().get(0).hour() + ": "
                + run.failures().get(0).reason());
        if (error.isEmpty() && !run.tierFailures().isEmpty()) {
            error = Optional.of(run.tierFailures().size() + " tier partition(s) failed, first "
                    + run.tierFailures().get(0).partition() + ": " + run.tierFailures().get(0).reason());
        }
        return new CompactionReport(runs + 1, hoursCompacted + run.compacted().size(), filesIn + run.filesIn(),
                filesOut + run.filesOut(), rowsWritten + run.rows(), filesDeleted + run.cleanup().deleted(),
                failures + run.failures().size() + run.tierFailures().size(), Optional.of(run.startedAt()),
                Optional.of(run.took()), run.horizon(), error, tierPartitionsBuilt + run.tiers().size(),
                retentionDropped + run.retention().dropped());
    }

    /** This report plus a run that failed as a whole. */
    public CompactionReport plusFailedRun(Instant startedAt, Duration took, Optional<Instant> horizon, Exception error) {
        return new CompactionReport(runs + 1, hoursCompacted, filesIn, filesOut, rowsWritten, filesDeleted, failures + 1,
                Optional.of(startedAt), Optional.of(took), horizon, Optional.of(String.valueOf(error.getMessage())),
                tierPartitionsBuilt, retentionDropped);
    }
}
