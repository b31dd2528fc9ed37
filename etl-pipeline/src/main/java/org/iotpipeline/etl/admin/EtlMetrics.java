package org.iotpipeline.etl.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.iotpipeline.etl.progress.PipelineTotals;
import org.iotpipeline.etl.progress.QueryStatus;
import org.iotpipeline.etl.progress.StreamProgressTracker;
import org.iotpipeline.etl.stream.DeadLettersQuery;
import org.iotpipeline.etl.stream.MeasurementsQuery;

/**
 * Publishes the {@link StreamProgressTracker}'s figures as Micrometer meters (read when scraped):
 * per-query gauges tagged {@code query}, pipeline-wide counters, and JVM meters. The names are
 * listed in the module README.
 */
public final class EtlMetrics {

    private EtlMetrics() {
    }

    public static void bind(MeterRegistry registry, StreamProgressTracker tracker) {
        for (String query : List.of(MeasurementsQuery.NAME, DeadLettersQuery.NAME)) {
            queryGauge(registry, tracker, query, "etl.query.active", "1 while the query runs", q -> q.active() ? 1 : 0);
            queryGauge(registry, tracker, query, "etl.last.batch.id", "last completed micro-batch", QueryStatus::lastBatchId);
            queryGauge(registry, tracker, query, "etl.input.rows.per.second", "arrival rate in the last batch",
                    QueryStatus::inputRowsPerSecond);
            queryGauge(registry, tracker, query, "etl.processed.rows.per.second", "processing rate of the last batch",
                    QueryStatus::processedRowsPerSecond);
            queryGauge(registry, tracker, query, "etl.batch.duration.seconds", "wall time of the last batch",
                    q -> q.batchDurationMs() / 1000.0);
            queryGauge(registry, tracker, query, "etl.kafka.lag.offsets",
                    "events-topic records not yet processed as of the last batch",
                    q -> q.kafkaLag() == null ? Double.NaN : q.kafkaLag());
            queryGauge(registry, tracker, query, "etl.state.rows", "rows in the state stores", QueryStatus::stateRows);
        }
        Gauge.builder("etl.watermark.seconds", tracker,
                        t -> t.watermark().map(w -> w.toEpochMilli() / 1000.0).orElse(Double.NaN))
                .description("event-time watermark of the measurements query, epoch seconds: every window ending before it is final")
                .register(registry);
        Gauge.builder("etl.max.event.time.seconds", tracker,
                        t -> t.maxEventTimeMs().isPresent() ? t.maxEventTimeMs().getAsLong() / 1000.0 : Double.NaN)
                .description("newest event time seen, epoch seconds")
                .register(registry);
        Gauge.builder("etl.idle.seconds", tracker,
                        t -> (Instant.now().toEpochMilli() - t.lastInputAt().toEpochMilli()) / 1000.0)
                .description("time since the last events-topic record was read")
                .register(registry);

        counter(registry, tracker, "etl.records.read", "events-topic records read by the measurements query",
                PipelineTotals::recordsRead);
        counter(registry, tracker, "etl.invalid.records", "records the decoder rejected (seen by the measurements query)",
                PipelineTotals::invalidRecords);
        counter(registry, tracker, "etl.dead.letters", "rejected records committed to the dead-letter location",
                PipelineTotals::deadLetters);
        counter(registry, tracker, "etl.late.events", "events stored as late rows (their window was already final)",
                PipelineTotals::lateEvents);
        counter(registry, tracker, "etl.events.dropped.late", "events Spark dropped behind a watermark: 0 by construction; alert if not",
                PipelineTotals::droppedLate);
        counter(registry, tracker, "etl.duplicates.dropped", "events dropped as duplicates of (deviceId, metricId, timestamp)",
                PipelineTotals::duplicatesDropped);
        counter(registry, tracker, "etl.heartbeats.sent", "idle heartbeats published", PipelineTotals::heartbeatsSent);
        counter(registry, tracker, "etl.rows.written", "measurement rows committed to staging", PipelineTotals::rowsWritten);
        counter(registry, tracker, "etl.files.written", "measurement files committed to staging", PipelineTotals::filesWritten);
        counter(registry, tracker, "etl.batches.committed", "measurement batches committed",
                PipelineTotals::batchesCommitted);
        counter(registry, tracker, "etl.batches.skipped", "replays of already committed batches, skipped",
                PipelineTotals::batchesSkipped);

        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    private static void queryGauge(MeterRegistry registry, StreamProgressTracker tracker, String query, String name,
                                   String description, ToDoubleFunction<QueryStatus> value) {
        Function<StreamProgressTracker, Double> read = t -> t.query(query).map(value::applyAsDouble).orElse(Double.NaN);
        Gauge.builder(name, tracker, t -> read.apply(t))
                .tag("query", query)
                .description(description)
                .register(registry);
    }

    private static void counter(MeterRegistry registry, StreamProgressTracker tracker, String name, String description,
                                ToDoubleFunction<PipelineTotals> value) {
        FunctionCounter.builder(name, tracker, t -> value.applyAsDouble(t.totals()))
                .description(description)
                .register(registry);
    }
}
