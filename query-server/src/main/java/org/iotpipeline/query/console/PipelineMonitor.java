package org.iotpipeline.query.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Reads the gateway's {@code /metrics} and the ETL's {@code /status} and {@code /metrics} for the
 * pipeline page. One reading at a time: viewers within {@code cache-ttl} of the last reading get it
 * again, and viewers that arrive while a reading runs wait for that one, so the services are read at
 * most once per {@code cache-ttl} however many pages are open.
 */
public final class PipelineMonitor {

    private final AdminFetcher fetcher;
    private final ConsoleSettings settings;
    private final Clock clock;
    private final GatewayReader gateway;
    private final EtlReader etl;

    private PipelineView last;
    private Instant lastAt;
    private CompletableFuture<PipelineView> reading;

    public PipelineMonitor(AdminFetcher fetcher, ConsoleSettings settings, ObjectMapper mapper, Clock clock) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher is null");
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        CounterRates rates = new CounterRates();
        this.gateway = new GatewayReader(rates);
        this.etl = new EtlReader(rates, Objects.requireNonNull(mapper, "mapper is null"));
    }

    /** The last reading if it is recent enough, else a new one (shared with concurrent callers). */
    public synchronized CompletionStage<PipelineView> current() {
        Instant now = clock.instant();
        if (last != null && Duration.between(lastAt, now).compareTo(settings.cacheTtl()) < 0) {
            return CompletableFuture.completedFuture(last);
        }
        CompletableFuture<PipelineView> current = reading;
        if (current == null) {
            CompletableFuture<PipelineView> started = read();
            reading = started;
            current = started;
            // May run at once (every answer already there), which clears reading again.
            started.whenComplete((view, error) -> finished(started, view));
        }
        return current.copy();
    }

    private synchronized void finished(CompletableFuture<PipelineView> done, PipelineView view) {
        if (reading == done) {
            reading = null;
        }
        if (view != null) {
            last = view;
            lastAt = clock.instant();
        }
    }

    private CompletableFuture<PipelineView> read() {
        String gatewayUrl = settings.gatewayUrl().toString();
        String etlUrl = settings.etlUrl().toString();
        CompletableFuture<Outcome> gatewayMetrics = fetch(ConsoleSettings.resolve(settings.gatewayUrl(), "/metrics"));
        CompletableFuture<Outcome> etlStatus = fetch(ConsoleSettings.resolve(settings.etlUrl(), "/status"));
        CompletableFuture<Outcome> etlMetrics = fetch(ConsoleSettings.resolve(settings.etlUrl(), "/metrics"));
        return CompletableFuture.allOf(gatewayMetrics, etlStatus, etlMetrics).thenApply(all -> {
            // The readers keep the previous counters: one reading at a time (this runs after the last one ended).
            synchronized (this) {
                Instant at = clock.instant();
                Outcome g = gatewayMetrics.join();
                Outcome s = etlStatus.join();
                Outcome m = etlMetrics.join();
                GatewayView gatewayView = g.body() != null ? gateway.read(gatewayUrl, at, g.body())
                        : gateway.down(gatewayUrl, g.error());
                EtlView etlView = s.body() != null
                        ? etl.read(etlUrl, at, s.body(), Optional.ofNullable(m.body()), Optional.ofNullable(m.error()))
                        : etl.down(etlUrl, s.error());
                return new PipelineView(at.toString(), gatewayView, etlView);
            }
        });
    }

    /** Never fails: a failure becomes its reason. */
    private CompletableFuture<Outcome> fetch(String url) {
        CompletableFuture<String> body;
        try {
            body = fetcher.get(url).toCompletableFuture();
        } catch (RuntimeException e) {
            body = CompletableFuture.failedFuture(e);
        }
        return body.handle((text, error) -> error == null ? new Outcome(text, null) : new Outcome(null, reason(error)));
    }

    private static String reason(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return t instanceof AdminFetcher.FetchFailedException ? t.getMessage()
                : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** The body of a 200, or why there is none. */
    private record Outcome(String body, String error) {
    }
}
