package org.iotpipeline.query.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;
import org.iotpipeline.query.execution.QueryOutcome;
import org.iotpipeline.query.execution.ResultFormat;

/**
 * The query server's meters (Prometheus names in brackets):
 * <ul>
 *   <li>{@code query.requests} [{@code query_requests_total}] by {@code outcome} and {@code format};</li>
 *   <li>{@code query.duration} [{@code query_duration_seconds}], a histogram by {@code outcome} and
 *       {@code format} (wall time from admission to the last row);</li>
 *   <li>{@code query.rows} [{@code query_rows_total}] rows returned, by {@code format};</li>
 *   <li>{@code query.active} [{@code query_active}] queries running now;</li>
 *   <li>{@code query.abandoned} [{@code query_abandoned_total}] cancelled queries whose thread did not
 *       stop within the cancel grace (their slot was given back);</li>
 *   <li>{@code store.files} [{@code store_files}] files the table reads, and
 *       {@code store.refresh.failures} [{@code store_refresh_failures_total}].</li>
 * </ul>
 */
public final class QueryMetrics {

    private final MeterRegistry registry;

    public QueryMetrics(MeterRegistry registry) {
        this.registry = java.util.Objects.requireNonNull(registry, "registry is null");
    }

    /** Counts one finished (or refused) query. */
    public void recordQuery(QueryOutcome outcome, ResultFormat format, Duration elapsed) {
        Counter.builder("query.requests").description("Queries by outcome").tag("outcome", outcome.label())
                .tag("format", format.label()).register(registry).increment();
        Timer.builder("query.duration").description("Wall time of queries").tag("outcome", outcome.label())
                .tag("format", format.label()).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry).record(elapsed);
    }

    public void recordRows(ResultFormat format, long rows) {
        Counter.builder("query.rows").description("Rows returned").tag("format", format.label()).register(registry)
                .increment(rows);
    }

    /** A JSON query answered from the result cache (hit) or by Spark (miss). */
    public void recordResultCache(boolean hit) {
        Counter.builder("query.result.cache").description("JSON queries by whether the result cache answered them")
                .tag("result", hit ? "hit" : "miss").register(registry).increment();
    }

    /** Counts a cancelled query whose thread did not stop in time and whose slot was given back. */
    public void recordAbandoned() {
        Counter.builder("query.abandoned").description("Cancelled queries whose thread did not stop within the grace")
                .register(registry).increment();
    }

    /** Registers gauges read from live state. */
    public void gauges(Supplier<Number> activeQueries, Supplier<Number> storeFiles) {
        Gauge.builder("query.active", activeQueries).description("Queries running now").register(registry);
        Gauge.builder("store.files", storeFiles).description("Parquet files table measurements reads")
                .register(registry);
    }
}
