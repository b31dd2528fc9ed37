package org.iotpipeline.generator.delivery;

import akka.actor.Scheduler;
import akka.event.LoggingAdapter;
import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.Http;
import akka.http.javadsl.HttpsConnectionContext;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.Uri;
import akka.http.javadsl.model.headers.Authorization;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import akka.pattern.Patterns;
import akka.stream.Materializer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.iotpipeline.tls.KeyStoreTls;
import scala.concurrent.ExecutionContext;

/**
 * POSTs one request of events to the gateway through akka-http's host connection pool and retries
 * it until it gets a final answer or runs out of attempts.
 *
 * <p>Guarantee: the returned stage always completes normally, with exactly one {@link Outcome}
 * for the whole request: the gateway's contract is that a request is persisted whole (2xx) or
 * not at all (4xx, 5xx), so its events share their fate. A 2xx is acknowledged, a 408, 429 or 5xx,
 * a connection failure (including the pool's idle timeout, which is how a request that gets no
 * answer ends) is retried, any other status is a rejection. A request whose connection broke may
 * still have been persisted by the gateway; its retry can then create a duplicate, which the
 * pipeline removes downstream (it deduplicates on deviceId, metricId, timestamp).
 */
public final class EventSender {

    /** Characters of a rejection body kept for the logs. */
    private static final int DETAIL_LIMIT = 300;

    private final Http http;
    private final Uri uri;
    private final HttpsConnectionContext https;
    private final List<HttpHeader> headers;
    private final ConnectionPoolSettings pool;
    private final LoggingAdapter poolLog;
    private final EventCodec codec;
    private final RetryPolicy retry;
    /** How long reading a rejection's body may take. */
    private final Duration requestTimeout;
    private final Materializer materializer;
    private final Scheduler scheduler;
    private final ExecutionContext executor;
    private final AttemptObserver observer;
    private final Clock clock;

    /**
     * @param access the API key to send and the certificates to trust (for https URLs)
     */
    public EventSender(Http http, Uri uri, GatewayAccess access, ConnectionPoolSettings pool, LoggingAdapter poolLog,
                       EventCodec codec, RetryPolicy retry, Duration requestTimeout, Materializer materializer,
                       Scheduler scheduler, ExecutionContext executor, AttemptObserver observer, Clock clock) {
        this.http = Objects.requireNonNull(http, "http is null");
        this.uri = Objects.requireNonNull(uri, "uri is null");
        this.https = Objects.requireNonNull(access, "access is null").trustStore()
                .map(store -> ConnectionContext.httpsClient(
                        KeyStoreTls.clientContext(store.path(), store.password().toCharArray())))
                .orElseGet(http::defaultClientHttpsContext);
        this.headers = access.apiKey().<List<HttpHeader>>map(key -> List.of(Authorization.oauth2(key))).orElse(List.of());
        this.pool = Objects.requireNonNull(pool, "pool is null");
        this.poolLog = Objects.requireNonNull(poolLog, "poolLog is null");
        this.codec = Objects.requireNonNull(codec, "codec is null");
        this.retry = Objects.requireNonNull(retry, "retry is null");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout is null");
        this.materializer = Objects.requireNonNull(materializer, "materializer is null");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler is null");
        this.executor = Objects.requireNonNull(executor, "executor is null");
        this.observer = Objects.requireNonNull(observer, "observer is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    /**
     * Sends {@code events} as one request: a JSON object for one event, a JSON array for more.
     *
     * @return the outcome; never completes exceptionally
     */
    public CompletionStage<Delivery> send(List<Event> events) {
        byte[] body = events.size() == 1 ? codec.encode(events.get(0)) : codec.encodeArray(events);
        HttpRequest request = HttpRequest.create().withMethod(HttpMethods.POST).withUri(uri)
                .withEntity(ContentTypes.APPLICATION_JSON, body).addHeaders(headers);
        return attempt(events, request, 1);
    }

    private CompletionStage<Delivery> attempt(List<Event> events, HttpRequest request, int attempt) {
        long started = System.nanoTime();
        return direct(http.singleRequest(request, https, pool, poolLog))
                .handle((response, error) -> error == null
                        ? answered(events, request, attempt, response, System.nanoTime() - started)
                        : retryOrFail(events, request, attempt, describe(error), Optional.empty()))
                .thenCompose(stage -> stage);
    }

    private CompletionStage<Delivery> answered(List<Event> events, HttpRequest request, int attempt,
                                               HttpResponse response, long latencyNanos) {
        observer.responded(latencyNanos);
        int status = response.status().intValue();
        if (status >= 200 && status < 300) {
            response.discardEntityBytes(materializer);
            return CompletableFuture.completedFuture(new Delivery(events, Outcome.ACKNOWLEDGED, attempt, String.valueOf(status)));
        }
        if (isRetryable(status)) {
            response.discardEntityBytes(materializer);
            return retryOrFail(events, request, attempt, "HTTP " + status, retryAfter(response));
        }
        return direct(response.entity().toStrict(requestTimeout.toMillis(), materializer))
                .handle((entity, error) -> {
                    String body = error == null ? entity.getData().utf8String() : "(body unreadable: " + error + ")";
                    String detail = "HTTP " + status + ": "
                            + (body.length() > DETAIL_LIMIT ? body.substring(0, DETAIL_LIMIT) + "..." : body);
                    return new Delivery(events, Outcome.REJECTED, attempt, detail);
                });
    }

    private CompletionStage<Delivery> retryOrFail(List<Event> events, HttpRequest request, int attempt,
                                                  String detail, Optional<Duration> retryAfter) {
        if (!retry.allowsAnotherAttempt(attempt)) {
            return CompletableFuture.completedFuture(new Delivery(events, Outcome.FAILED, attempt, detail));
        }
        observer.retrying();
        // Jitter needs no reproducibility: it changes when a request is repeated, never what it carries.
        Duration wait = retry.backoff(attempt, retryAfter, ThreadLocalRandom.current().nextDouble());
        return direct(Patterns.after(wait, scheduler, executor, () -> attempt(events, request, attempt + 1)));
    }

    /**
     * The same outcome as a plain {@link CompletableFuture} whose callbacks run on the completing
     * thread. akka's Java API hands out scala-java8-compat futures that run even non-async
     * callbacks ({@code handle}, {@code thenApply}, ...) on the common ForkJoinPool, and with
     * fewer than 3 cores that "pool" starts a new thread per callback: on the 2-core benchmark
     * machine this cost about 0.5 ms of CPU per request and capped the generator at a few
     * thousand requests/s.
     */
    static <T> CompletableFuture<T> direct(CompletionStage<T> stage) {
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenCompleteAsync((value, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(value);
            }
        }, Runnable::run);
        return result;
    }

    /** 408 and 429 are the client-side statuses that mean "try again later", like 503. */
    static boolean isRetryable(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    private Optional<Duration> retryAfter(HttpResponse response) {
        return response.getHeader(RetryAfter.class).flatMap(header -> header.getDelaySeconds()
                .map(Duration::ofSeconds)
                .or(() -> header.getDateTime()
                        .map(date -> Duration.ofMillis(Math.max(0, date.clicks() - clock.millis())))));
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
