package org.iotpipeline.gateway.http;

import akka.http.javadsl.coding.Coder;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.util.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.iotpipeline.gateway.health.ReadinessCheck;
import org.iotpipeline.gateway.ingest.EventIngestion;
import org.iotpipeline.gateway.ingest.IngestOutcome;
import org.iotpipeline.gateway.metrics.GatewayMetrics;
import org.iotpipeline.model.BodyFormat;
import org.iotpipeline.model.Problem;

/**
 * The gateway's HTTP API (docs/api.md, "Event gateway"):
 * <ul>
 *   <li>{@code POST /events} ({@code application/json} object or array, {@code application/x-ndjson},
 *       optionally {@code Content-Encoding: gzip}): 202 {@code {"accepted": n}} once Kafka acknowledged
 *       every event; 400 invalid events, 413 too large, 415 media type or encoding, 503 + Retry-After
 *       when Kafka cannot take them now</li>
 *   <li>{@code GET /health}: 200 while the process runs</li>
 *   <li>{@code GET /ready}: 200 when Kafka is reachable, else 503 + Retry-After</li>
 *   <li>{@code GET /metrics}: Prometheus text</li>
 *   <li>{@code POST /bench/noop} only with {@code benchmark-route = on}: reads the body, answers 202</li>
 * </ul>
 * Every error body is {@code application/problem+json}.
 */
public final class GatewayRoutes extends AllDirectives {

    private static final List<Coder> DECODERS = List.of(Coder.Gzip, Coder.NoCoding);
    private static final Set<String> KNOWN_PATHS = Set.of("/events", "/health", "/ready", "/metrics", "/bench/noop");

    private final EventIngestion ingestion;
    private final ReadinessCheck readiness;
    private final GatewayMetrics metrics;
    private final long maxBodySize;
    private final long bodyReadTimeoutMillis;
    private final RetryAfter retryAfter;
    private final boolean benchmarkRoute;
    private final ErrorHandling errors;

    /**
     * @param maxBodySize     largest body in bytes, as sent and after decompression
     * @param bodyReadTimeout how long reading one body may take
     * @param retryAfter      the Retry-After of a 503
     * @param benchmarkRoute  whether to expose {@code POST /bench/noop}
     */
    public GatewayRoutes(EventIngestion ingestion, ReadinessCheck readiness, GatewayMetrics metrics,
                         long maxBodySize, Duration bodyReadTimeout, Duration retryAfter, boolean benchmarkRoute) {
        this.ingestion = ingestion;
        this.readiness = readiness;
        this.metrics = metrics;
        this.maxBodySize = maxBodySize;
        this.bodyReadTimeoutMillis = bodyReadTimeout.toMillis();
        this.retryAfter = RetryAfter.create(retryAfter.toSeconds());
        this.benchmarkRoute = benchmarkRoute;
        this.errors = new ErrorHandling(maxBodySize);
    }

    /** The whole API, with its own error handling (no further sealing needed). */
    public Route routes() {
        Route api = concat(
                path("events", () -> post(this::postEvents)),
                path("health", () -> get(() -> complete(StatusCodes.OK, ProblemResponses.jsonEntity(Map.of("status", "up"))))),
                path("ready", () -> get(this::ready)),
                path("metrics", () -> get(() -> complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, metrics.scrape())))),
                benchmarkRoute ? pathPrefix("bench", () -> path("noop", () -> post(this::noop))) : reject());
        // Built once: the Java DSL calls a directive's inner supplier on every request, so anything
        // constructed inside one (such as a rejection handler) would be rebuilt per request.
        RejectionHandler rejectionHandler = errors.rejectionHandler();
        ExceptionHandler exceptionHandler = errors.exceptionHandler();
        Route withRejections = handleRejections(rejectionHandler, () -> api);
        Route handled = handleExceptions(exceptionHandler, () -> withRejections);
        return extractRequest(request -> timed(request, handled));
    }

    private Route postEvents() {
        return extractRequestEntity(entity -> {
            Optional<BodyFormat> format = BodyFormat.forMediaType(entity.getContentType().mediaType().toString());
            if (format.isEmpty()) {
                return complete(ProblemResponses.of(Problem.of(415, "unsupported-media-type", "Unsupported Media Type",
                        "Content-Type " + entity.getContentType().mediaType()
                                + " is not accepted; send application/json (an event or an array of events)"
                                + " or application/x-ndjson (one event per line)")));
            }
            // The limit is set again after decoding, so it also bounds the decompressed body.
            return withSizeLimit(maxBodySize, () -> decodeRequestWith(DECODERS,
                    () -> withSizeLimit(maxBodySize, () -> withBody(
                            body -> onSuccess(ingestion.ingest(body.toArray(), format.get()), this::answer)))));
        });
    }

    private Route answer(IngestOutcome outcome) {
        if (outcome instanceof IngestOutcome.Accepted accepted) {
            return complete(StatusCodes.ACCEPTED,
                    HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"accepted\":" + accepted.events() + "}"));
        }
        if (outcome instanceof IngestOutcome.Rejected rejected) {
            return complete(ProblemResponses.of(Problem.invalidEvents(rejected.error())));
        }
        if (outcome instanceof IngestOutcome.TooManyEvents tooMany) {
            return complete(ProblemResponses.of(Problem.of(413, "too-many-events", "Payload Too Large",
                    "the body holds " + tooMany.events() + " events; at most " + tooMany.limit() + " per request")));
        }
        IngestOutcome.Unavailable unavailable = (IngestOutcome.Unavailable) outcome;
        return complete(unavailable(Problem.of(503, "kafka-unavailable", "Service Unavailable",
                unavailable.detail() + "; nothing of this request is acknowledged, send it again later")));
    }

    private Route ready() {
        return onSuccess(readiness.check(), state -> state.ready()
                ? complete(StatusCodes.OK, ProblemResponses.jsonEntity(Map.of("status", "ready", "detail", state.detail())))
                : complete(unavailable(Problem.of(503, "not-ready", "Service Unavailable", state.detail()))));
    }

    private Route noop() {
        return withSizeLimit(maxBodySize, () -> withBody(body -> complete(StatusCodes.ACCEPTED,
                HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"accepted\":1}"))));
    }

    /**
     * The whole request body. Small bodies arrive strict and are used as they are; others are read
     * within the body-read timeout, bounded by the size limit set on the entity (its
     * EntityStreamSizeException becomes 413). Not extractStrictEntity: with a byte limit it runs a
     * stream even for a strict body, and again for the response, which costs more than the rest of
     * a small request together.
     */
    private Route withBody(Function<ByteString, Route> inner) {
        return extractRequestEntity(entity -> {
            if (entity instanceof HttpEntity.Strict strict) {
                return inner.apply(strict.getData());
            }
            return extractMaterializer(materializer -> onSuccess(
                    entity.toStrict(bodyReadTimeoutMillis, Long.MAX_VALUE, materializer),
                    strict -> inner.apply(strict.getData())));
        });
    }

    private HttpResponse unavailable(Problem problem) {
        return ProblemResponses.of(problem).addHeader(retryAfter);
    }

    private Route timed(HttpRequest request, Route inner) {
        long started = System.nanoTime();
        String path = request.getUri().path();
        String pathTag = KNOWN_PATHS.contains(path) ? path : "other";
        String method = request.method().name();
        return mapResponse(response -> {
            metrics.recordRequest(method, pathTag, response.status().intValue(), System.nanoTime() - started);
            return response;
        }, () -> inner);
    }
}
