package org.iotpipeline.etl.compaction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a {@link CompactionReport} as meters, read at scrape time (Prometheus names:
 * {@code compaction_runs_total}, {@code compaction_hours_compacted_total},
 * {@code compaction_files_in_total}, {@code compaction_files_out_total},
 * {@code compaction_rows_written_total}, {@code compaction_files_deleted_total},
 * {@code compaction_failures_total}, {@code compaction_last_run_duration_seconds},
 * {@code compaction_last_run_timestamp_seconds}).
 */
public final class CompactionMeters implements MeterBinder {

    private final Supplier<CompactionReport> report;

    /**
     * @param report usually the {@link CompactionScheduler} itself. Micrometer holds function
     *               meters' state weakly, so pass an object the caller keeps alive, never a fresh
     *               method reference (it would be collected and the meters would read 0/NaN).
     */
    public CompactionMeters(Supplier<CompactionReport> report) {
        this.report = Objects.requireNonNull(report, "report is null");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "compaction.runs", "compaction runs finished, failed ones included", r -> r.runs());
        counter(registry, "compaction.hours.compacted", "hour versions published", r -> r.hoursCompacted());
        counter(registry, "compaction.files.in", "files merged into compacted hours", r -> r.filesIn());
        counter(registry, "compaction.files.out", "compacted files published", r -> r.filesOut());
        counter(registry, "compaction.rows.written", "rows in published hour versions", r -> r.rowsWritten());
        counter(registry, "compaction.files.deleted", "superseded files, leftovers and empty directories deleted",
                r -> r.filesDeleted());
        counter(registry, "compaction.failures", "failed hours, failed tier partitions and failed runs", r -> r.failures());
        counter(registry, "compaction.tier.partitions.built", "partitions of measurements_1h and measurements_1d published",
                r -> r.tierPartitionsBuilt());
        counter(registry, "compaction.retention.dropped", "partitions dropped by retention (5-minute hours, hourly days,"
                + " daily months)", r -> r.retentionDropped());
        TimeGauge.builder("compaction.last.run.duration", report,
                        TimeUnit.MILLISECONDS, s -> s.get().lastRunTook().map(Duration::toMillis).orElse(0L))
                .description("wall time of the last compaction run").register(registry);
        Gauge.builder("compaction.last.run.timestamp", report,
                        s -> s.get().lastRunAt().map(Instant::toEpochMilli).orElse(0L) / 1000.0)
                .baseUnit("seconds").description("start of the last compaction run, epoch seconds (0: none yet)")
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<CompactionReport> value) {
        FunctionCounter.builder(name, report, s -> value.applyAsDouble(s.get())).description(description).register(registry);
    }
}
