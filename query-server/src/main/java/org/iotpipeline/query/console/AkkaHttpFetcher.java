package org.iotpipeline.query.console;

import akka.actor.ClassicActorSystemProvider;
import akka.event.LoggingAdapter;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import akka.stream.Materializer;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import scala.concurrent.duration.FiniteDuration;

/**
 * {@link AdminFetcher} over akka-http's client: no retries (a service that does not answer is shown
 * as down at once, not after the pool's back-off), the whole answer within {@code timeout}, and at
 * most {@code maxBytes} of it.
 */
public final class AkkaHttpFetcher implements AdminFetcher {

    private final Http http;
    private final LoggingAdapter log;
    private final Materializer materializer;
    private final ConnectionPoolSettings pool;
    private final Duration timeout;
    private final long maxBytes;

    public AkkaHttpFetcher(ClassicActorSystemProvider system, Duration timeout, long maxBytes) {
        Objects.requireNonNull(system, "system is null");
        this.timeout = Objects.requireNonNull(timeout, "timeout is null");
        this.http = Http.get(system.classicSystem());
        this.log = system.classicSystem().log();
        this.materializer = Materializer.matFromSystem(system);
        FiniteDuration connecting = FiniteDuration.create(timeout.toMillis(), TimeUnit.MILLISECONDS);
        ConnectionPoolSettings defaults = ConnectionPoolSettings.create(system.classicSystem());
        this.pool = defaults.withMaxRetries(0)
                .withConnectionSettings(defaults.getConnectionSettings().withConnectingTimeout(connecting));
        this.maxBytes = maxBytes;
    }

    @Override
    public CompletionStage<String> get(String url) {
        long millis = timeout.toMillis();
        CompletableFuture<String> body;
        try {
            body = http.singleRequest(HttpRequest.GET(url), http.defaultClientHttpsContext(), pool, log)
                    .thenCompose(this::body)
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            // An unusable URL (akka parses it here); the settings validated its shape already.
            return CompletableFuture.failedFuture(new FetchFailedException(String.valueOf(e.getMessage()), e));
        }
        return body.orTimeout(millis, TimeUnit.MILLISECONDS)
                .exceptionally(error -> {
                    throw failure(error);
                });
    }

    private CompletionStage<String> body(HttpResponse response) {
        int status = response.status().intValue();
        if (status != 200) {
            response.discardEntityBytes(materializer);
            return CompletableFuture.failedFuture(new FetchFailedException("HTTP " + status, null));
        }
        return response.entity().toStrict(timeout.toMillis(), maxBytes, materializer)
                .thenApply(strict -> strict.getData().decodeString(StandardCharsets.UTF_8));
    }

    private FetchFailedException failure(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (t instanceof FetchFailedException fetch) {
            return fetch;
        }
        if (t instanceof TimeoutException) {
            return new FetchFailedException("no answer within " + timeout.toMillis() + " ms", t);
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            // akka's StreamTcpException names the ConnectException in its message, not always as its cause.
            if (c instanceof ConnectException || String.valueOf(c.getMessage()).contains("Connection refused")) {
                return new FetchFailedException("connection refused", t);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return new FetchFailedException(t.getClass().getSimpleName() + ": " + t.getMessage(), t);
    }
}
