package org.iotpipeline.etl.admin;

import org.iotpipeline.etl.compaction.CompactionReport;

/**
 * The compaction part of {@code /status}, in plain JSON types (ISO-8601 instants, milliseconds,
 * null when not known yet).
 */
record CompactionStatus(long runs, long hoursCompacted, long filesIn, long filesOut, long rowsWritten,
                        long filesDeleted, long failures, String lastRunAt, Long lastRunTookMs, String lastHorizon,
                        String lastError, long tierPartitionsBuilt, long retentionDropped) {

    static CompactionStatus of(CompactionReport report) {
        return new CompactionStatus(report.runs(), report.hoursCompacted(), report.filesIn(), report.filesOut(),
                report.rowsWritten(), report.filesDeleted(), report.failures(),
                report.lastRunAt().map(Object::toString).orElse(null),
                report.lastRunTook().map(java.time.Duration::toMillis).orElse(null),
                report.lastHorizon().map(Object::toString).orElse(null),
                report.lastError().orElse(null), report.tierPartitionsBuilt(), report.retentionDropped());
    }
}
