package org.iotpipeline.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.iotpipeline.gateway.ingest.IngestOutcome;

/**
 * The gateway's meters, exposed as Prometheus text on {@code GET /metrics}. Names (Prometheus form):
 * <ul>
 *   <li>{@code gateway_http_requests_seconds_count/_sum/_max{method,path,status}}: requests by status</li>
 *   <li>{@code gateway_events_accepted_total}: events answered 202 (persisted)</li>
 *   <li>{@code gateway_events_rejected_total}: invalid events answered 400</li>
 *   <li>{@code gateway_events_unavailable_total{reason}}: valid events answered 503</li>
 *   <li>{@code gateway_kafka_send_seconds_bucket/_count/_sum{outcome}}: time from handing a request's
 *       events to the producer until all were acknowledged (or one failed)</li>
 *   <li>{@code gateway_events_in_flight}: events sent but not yet answered</li>
 *   <li>{@code gateway_auth_requests_total{outcome}}: POST /events by authentication outcome
 *       ({@code granted}, {@code missing}, {@code invalid}: 401, {@code forbidden}: 403); only with auth on</li>
 *   <li>{@code gateway_api_keys}, {@code gateway_api_key_reloads_total{outcome}}: keys in force, reloads
 *       of the key file ({@code applied}, {@code failed})</li>
 *   <li>{@code gateway_connections_closed_total{reason}}: connections the gateway closed itself
 *       ({@code request_header_timeout})</li>
 *   <li>JVM ({@code jvm_*}, {@code process_*}, {@code system_*}) and producer ({@code kafka_producer_*})</li>
 * </ul>
 */
public final class GatewayMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final Counter eventsAccepted;
    private final Counter eventsRejected;
    private final Map<IngestOutcome.Reason, Counter> eventsUnavailable = new EnumMap<>(IngestOutcome.Reason.class);
    private final Timer sendSucceeded;
    private final Timer sendFailed;
    // Requests are timed on every call; caching the timer per tag set avoids building a meter id each time.
    private final Map<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> authRequests = new ConcurrentHashMap<>();
    private final Counter keyReloadsApplied;
    private final Counter keyReloadsFailed;
    private final Counter closedHeaderTimeout;
    private KafkaClientMetrics producerMetrics;

    private record RequestKey(String method, String path, int status) {
    }

    public GatewayMetrics() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        eventsAccepted = Counter.builder("gateway.events.accepted")
                .description("Events answered 202: acknowledged by Kafka").register(registry);
        eventsRejected = Counter.builder("gateway.events.rejected")
                .description("Invalid events answered 400").register(registry);
        for (IngestOutcome.Reason reason : IngestOutcome.Reason.values()) {
            eventsUnavailable.put(reason, Counter.builder("gateway.events.unavailable")
                    .description("Valid events answered 503")
                    .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry));
        }
        sendSucceeded = sendTimer("success");
        sendFailed = sendTimer("failure");
        keyReloadsApplied = keyReloads("applied");
        keyReloadsFailed = keyReloads("failed");
        closedHeaderTimeout = Counter.builder("gateway.connections.closed")
                .description("Connections the gateway closed itself")
                .tag("reason", "request_header_timeout").register(registry);
    }

    private Counter keyReloads(String outcome) {
        return Counter.builder("gateway.api.key.reloads")
                .description("Reloads of the API key file after it changed")
                .tag("outcome", outcome).register(registry);
    }

    private Timer sendTimer(String outcome) {
        return Timer.builder("gateway.kafka.send")
                .description("From handing a request's events to the producer until all were acknowledged")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    /** Publishes the number of in-flight events as a gauge. */
    public void bindInFlight(IntSupplier inFlight) {
        // A strong reference: the supplier is often a method reference nobody else holds.
        Gauge.builder("gateway.events.in.flight", inFlight, IntSupplier::getAsInt).strongReference(true)
                .description("Events sent to Kafka but not yet answered").register(registry);
    }

    /** Publishes the producer's own metrics ({@code kafka_producer_*}). */
    public void bindProducer(Producer<?, ?> producer) {
        producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
    }

    /** Publishes the number of API keys in force. */
    public void bindApiKeys(IntSupplier keys) {
        Gauge.builder("gateway.api.keys", keys, IntSupplier::getAsInt).strongReference(true)
                .description("API keys in force").register(registry);
    }

    /** One POST /events by its authentication outcome: granted, missing, invalid or forbidden. */
    public void authRequest(String outcome) {
        authRequests.computeIfAbsent(outcome, tag -> Counter.builder("gateway.auth.requests")
                        .description("POST /events by authentication outcome")
                        .tag("outcome", tag).register(registry))
                .increment();
    }

    public void apiKeysReloaded(boolean applied) {
        (applied ? keyReloadsApplied : keyReloadsFailed).increment();
    }

    /** A connection closed because its request head did not arrive in time. */
    public void headerTimeout() {
        closedHeaderTimeout.increment();
    }

    public void recordRequest(String method, String path, int status, long nanos) {
        requestTimers.computeIfAbsent(new RequestKey(method, path, status), key -> Timer.builder("gateway.http.requests")
                        .description("HTTP requests by method, path and status")
                        .tag("method", key.method()).tag("path", key.path()).tag("status", Integer.toString(key.status()))
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void eventsAccepted(int count) {
        eventsAccepted.increment(count);
    }

    public void eventsRejected(int count) {
        eventsRejected.increment(count);
    }

    public void eventsUnavailable(IngestOutcome.Reason reason, int count) {
        eventsUnavailable.get(reason).increment(count);
    }

    public void recordSend(boolean succeeded, long nanos) {
        (succeeded ? sendSucceeded : sendFailed).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** All meters in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        if (producerMetrics != null) {
            producerMetrics.close();
        }
        gcMetrics.close();
        registry.close();
    }
}
