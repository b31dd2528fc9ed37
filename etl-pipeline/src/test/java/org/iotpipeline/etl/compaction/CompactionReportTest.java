package org.iotpipeline.etl.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.iotpipeline.store.HourPartition;
import org.junit.jupiter.api.Test;

class CompactionReportTest {

    private static final HourPartition H1 = new HourPartition(2026, 3, 1, 10);
    private static final HourPartition H2 = new HourPartition(2026, 3, 1, 11);
    private static final Instant T = Instant.parse("2026-03-01T13:00:00Z");

    @Test
    void runsAddUp() {
        CompactionRun first = run(false, List.of(hour(H1, 8, 2, 100)), List.of(), new CleanupResult(0, 0, 0, 0, 0, 8, 0));
        CompactionRun second = run(false, List.of(hour(H2, 4, 1, 50)), List.of(new HourFailure(H1, "disk full")),
                new CleanupResult(8, 0, 0, 1, 1, 4, 0));

        CompactionReport report = CompactionReport.EMPTY.plus(first).plus(second);

        assertThat(report.runs()).isEqualTo(2);
        assertThat(report.hoursCompacted()).isEqualTo(2);
        assertThat(report.filesIn()).isEqualTo(12);
        assertThat(report.filesOut()).isEqualTo(3);
        assertThat(report.rowsWritten()).isEqualTo(150);
        assertThat(report.filesDeleted()).isEqualTo(10);
        assertThat(report.failures()).isEqualTo(1);
        assertThat(report.lastError()).get().asString().contains("disk full").contains(H1.toString());
        assertThat(report.lastRunAt()).contains(T);
    }

    @Test
    void aCleanRunClearsTheLastErrorAndDryRunsCountForNothing() {
        CompactionReport failed = CompactionReport.EMPTY.plusFailedRun(T, Duration.ofSeconds(1), Optional.empty(),
                new IOException("staging unreadable"));
        assertThat(failed.failures()).isEqualTo(1);
        assertThat(failed.lastError()).contains("staging unreadable");

        CompactionReport after = failed.plus(run(false, List.of(), List.of(), CleanupResult.NONE));
        assertThat(after.lastError()).isEmpty();
        assertThat(after.plus(run(true, List.of(hour(H1, 1, 1, 1)), List.of(), CleanupResult.NONE))).isEqualTo(after);
    }

    @Test
    void metersReadTheCurrentReport() {
        AtomicReference<CompactionReport> report = new AtomicReference<>(CompactionReport.EMPTY);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // Micrometer holds a function meter's state weakly: keep the supplier reachable to the end,
        // as the service keeps its scheduler (a fresh method reference was collected mid-test on CI).
        Supplier<CompactionReport> source = report::get;
        new CompactionMeters(source).bindTo(registry);
        assertThat(registry.get("compaction.hours.compacted").functionCounter().count()).isZero();

        report.set(report.get().plus(run(false, List.of(hour(H1, 8, 2, 100)), List.of(), new CleanupResult(3, 0, 0, 0, 0, 0, 0))));

        assertThat(registry.get("compaction.runs").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("compaction.hours.compacted").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("compaction.files.in").functionCounter().count()).isEqualTo(8);
        assertThat(registry.get("compaction.files.out").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("compaction.rows.written").functionCounter().count()).isEqualTo(100);
        assertThat(registry.get("compaction.files.deleted").functionCounter().count()).isEqualTo(3);
        assertThat(registry.get("compaction.failures").functionCounter().count()).isZero();
        assertThat(registry.get("compaction.last.run.duration").timeGauge().value(TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(registry.get("compaction.last.run.timestamp").gauge().value()).isEqualTo(T.getEpochSecond());
        assertThat(registry.get("compaction.tier.partitions.built").functionCounter().count()).isZero();

        CompactionRun withTiers = new CompactionRun(T, Duration.ofSeconds(2), Optional.of(T), false, List.of(), List.of(),
                CleanupResult.NONE, List.of(new TierBuild(org.iotpipeline.store.TierPartition.containing(
                        org.iotpipeline.store.Tier.HOURLY, T), 1, java.util.Map.of("year=2026/month=3/day=1/hour=10", 1L), 1,
                        40, 80, Duration.ofSeconds(1))), List.of(), new RetentionResult(List.of("a", "b"), List.of(), List.of()));
        report.set(report.get().plus(withTiers));
        assertThat(registry.get("compaction.tier.partitions.built").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("compaction.retention.dropped").functionCounter().count()).isEqualTo(2);
        Reference.reachabilityFence(source);
    }

    private static CompactionRun run(boolean dryRun, List<HourCompaction> hours, List<HourFailure> failures,
                                     CleanupResult cleanup) {
        return new CompactionRun(T, Duration.ofSeconds(2), Optional.of(T.minusSeconds(7200)), dryRun, hours, failures, cleanup,
                List.of(), List.of(), RetentionResult.NONE);
    }

    private static HourCompaction hour(HourPartition hour, int stagingFiles, int filesOut, long rows) {
        return new HourCompaction(hour, 1, 0, stagingFiles, 1000, filesOut, 700, rows, rows * 3, Duration.ofSeconds(1));
    }
}
