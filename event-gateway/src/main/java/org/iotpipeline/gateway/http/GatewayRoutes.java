package org.iotpipeline.gateway.http;

import akka.http.javadsl.coding.Coder;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpCharset;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.HttpChallenge;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.http.javadsl.model.headers.WWWAuthenticate;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.stream.javadsl.Sink;
import akka.util.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.iotpipeline.gateway.auth.Authentication;
import org.iotpipeline.gateway.auth.RequestAuthenticator;
import org.iotpipeline.gateway.health.ReadinessCheck;
import org.iotpipeline.gateway.ingest.DeviceScope;
import org.iotpipeline.gateway.ingest.EventIngestion;
import org.iotpipeline.gateway.ingest.IngestOutcome;
import org.iotpipeline.gateway.metrics.GatewayMetrics;
import org.iotpipeline.http.OpenApiDocument;
import org.iotpipeline.model.BodyFormat;
import org.iotpipeline.model.Problem;

/**
 * The gateway's HTTP API (docs/api.md, "Event gateway"):
 * <ul>
 *   <li>{@code POST /events} ({@code application/json} object or array, {@code application/x-ndjson},
 *       optionally {@code Content-Encoding: gzip}): 202 {@code {"accepted": n}} once Kafka acknowledged
 *       every event; 400 invalid events, 401 no valid API key (auth on), 403 an event of a device the
 *       key does not cover, 413 too large, 415 media type, charset or encoding, 503 + Retry-After
 *       when Kafka cannot take them now</li>
 *   <li>{@code GET /health}: 200 while the process runs</li>
 *   <li>{@code GET /ready}: 200 when Kafka is reachable, else 503 + Retry-After</li>
 *   <li>{@code GET /metrics}: Prometheus text</li>
 *   <li>{@code GET /openapi.yaml}: the OpenAPI document (docs/openapi/gateway.yaml)</li>
 *   <li>{@code POST /bench/noop} only with {@code benchmark-route = on}: reads the body, answers 202</li>
 * </ul>
 * Every error body is {@code application/problem+json}.
 */
public final class GatewayRoutes extends AllDirectives {

    private static final List<Coder> DECODERS = List.of(Coder.Gzip, Coder.NoCoding);
    private static final Set<String> KNOWN_PATHS = Set.of("/events", "/health", "/ready", "/metrics", "/openapi.yaml",
            "/bench/noop");
    private static final ContentType OPENAPI_YAML =
            MediaTypes.applicationWithFixedCharset("yaml", HttpCharsets.UTF_8).toContentType();
    private static final String AUTHORIZATION = "authorization";
    private static final String API_KEY = "x-api-key";
    private static final WWWAuthenticate BEARER_CHALLENGE =
            WWWAuthenticate.create(HttpChallenge.create("Bearer", "event-gateway"));
    /** Declared charsets that read as UTF-8: US-ASCII is a subset of it. */
    private static final Set<String> UTF8_COMPATIBLE = Set.of("UTF-8", "US-ASCII");

    private final EventIngestion ingestion;
    private final ReadinessCheck readiness;
    private final GatewayMetrics metrics;
    private final long maxBodySize;
    private final long bodyReadTimeoutMillis;
    private final RetryAfter retryAfter;
    private final boolean benchmarkRoute;
    private final ErrorHandling errors;
    private final RequestAuthenticator authenticator;
    private final byte[] openApi;

    /** Routes without authentication (every caller may write every device). */
    public GatewayRoutes(EventIngestion ingestion, ReadinessCheck readiness, GatewayMetrics metrics,
                         long maxBodySize, Duration bodyReadTimeout, Duration retryAfter, boolean benchmarkRoute) {
        this(ingestion, readiness, metrics, maxBodySize, bodyReadTimeout, retryAfter, benchmarkRoute,
                RequestAuthenticator.OPEN);
    }

    /**
     * @param maxBodySize     largest body in bytes, as sent and after decompression
     * @param bodyReadTimeout how long reading one body may take
     * @param retryAfter      the Retry-After of a 503
     * @param benchmarkRoute  whether to expose {@code POST /bench/noop}
     * @param authenticator   who may write which devices; {@link RequestAuthenticator#OPEN} for everyone
     */
    public GatewayRoutes(EventIngestion ingestion, ReadinessCheck readiness, GatewayMetrics metrics,
                         long maxBodySize, Duration bodyReadTimeout, Duration retryAfter, boolean benchmarkRoute,
                         RequestAuthenticator authenticator) {
        this.ingestion = Objects.requireNonNull(ingestion, "ingestion is null");
        this.readiness = Objects.requireNonNull(readiness, "readiness is null");
        this.metrics = Objects.requireNonNull(metrics, "metrics is null");
        this.maxBodySize = maxBodySize;
        this.bodyReadTimeoutMillis = Objects.requireNonNull(bodyReadTimeout, "bodyReadTimeout is null").toMillis();
        this.retryAfter = RetryAfter.create(Objects.requireNonNull(retryAfter, "retryAfter is null").toSeconds());
        this.benchmarkRoute = benchmarkRoute;
        this.errors = new ErrorHandling(maxBodySize);
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator is null");
        this.openApi = OpenApiDocument.load("gateway");
    }

    /** The whole API, with its own error handling (no further sealing needed). */
    public Route routes() {
        Route api = concat(
                path("events", () -> post(() -> authenticated(this::postEvents))),
                path("health", () -> get(() -> complete(StatusCodes.OK, ProblemResponses.jsonEntity(Map.of("status", "up"))))),
                path("ready", () -> get(this::ready)),
                path("metrics", () -> get(() -> complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, metrics.scrape())))),
                path(OpenApiDocument.PATH, () -> get(() -> complete(HttpEntities.create(OPENAPI_YAML, openApi)))),
                benchmarkRoute ? pathPrefix("bench", () -> path("noop", () -> post(this::noop))) : reject());
        // Built once: the Java DSL calls a directive's inner supplier on every request, so anything
        // constructed inside one (such as a rejection handler) would be rebuilt per request.
        RejectionHandler rejectionHandler = errors.rejectionHandler();
        ExceptionHandler exceptionHandler = errors.exceptionHandler();
        Route withRejections = handleRejections(rejectionHandler, () -> api);
        Route handled = handleExceptions(exceptionHandler, () -> withRejections);
        return extractRequest(request -> timed(request, handled));
    }

    /** The caller's device scope, or 401 before the body is read. */
    private Route authenticated(Function<DeviceScope, Route> inner) {
        if (authenticator == RequestAuthenticator.OPEN) {
            return inner.apply(DeviceScope.ALL);
        }
        return extractRequest(request -> {
            Authentication result = authenticator.authenticate(
                    request.getHeader(AUTHORIZATION).map(HttpHeader::value),
                    request.getHeader(API_KEY).map(HttpHeader::value));
            if (result instanceof Authentication.Granted granted) {
                metrics.authRequest("granted");
                return inner.apply(granted.scope());
            }
            Authentication.Refused refused = (Authentication.Refused) result;
            metrics.authRequest(refused.reason().name().toLowerCase(Locale.ROOT));
            return complete(ProblemResponses.of(Problem.of(401, "unauthorized", "Unauthorized", refused.detail()))
                    .addHeader(BEARER_CHALLENGE));
        });
    }

    private Route postEvents(DeviceScope scope) {
        return extractRequestEntity(entity -> {
            Optional<BodyFormat> format = BodyFormat.forMediaType(entity.getContentType().mediaType().toString());
            if (format.isEmpty()) {
                return complete(ProblemResponses.of(Problem.of(415, "unsupported-media-type", "Unsupported Media Type",
                        "Content-Type " + entity.getContentType().mediaType()
                                + " is not accepted; send application/json (an event or an array of events)"
                                + " or application/x-ndjson (one event per line)")));
            }
            Optional<HttpCharset> charset = entity.getContentType().getCharsetOption();
            if (charset.isPresent() && !UTF8_COMPATIBLE.contains(charset.get().value().toUpperCase(Locale.ROOT))) {
                // akka keeps a declared charset only for media types without a fixed one (x-ndjson).
                return complete(ProblemResponses.of(Problem.of(415, "unsupported-charset", "Unsupported Media Type",
                        "charset " + charset.get().value() + " is not accepted; JSON between systems is UTF-8"
                                + " (RFC 8259 section 8.1): send the body in UTF-8")));
            }
            // The limit is set again after decoding, so it also bounds the decompressed body.
            return withSizeLimit(maxBodySize, () -> decodeRequestWith(DECODERS,
                    () -> withSizeLimit(maxBodySize, () -> withBody(
                            body -> onSuccess(ingestion.ingest(body.toArray(), format.get(), scope), this::answer)))));
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
                    "the body holds more than " + tooMany.limit() + " events; at most " + tooMany.limit()
                            + " per request (reading stopped at event " + tooMany.limit() + ", counted from 0)")));
        }
        if (outcome instanceof IngestOutcome.Forbidden forbidden) {
            metrics.authRequest("forbidden");
            return complete(ProblemResponses.of(Problem.of(403, "forbidden-device", "Forbidden",
                    "event " + forbidden.index() + " is for device " + forbidden.deviceId() + ", which "
                            + forbidden.scope() + " may not write; nothing of this request was written")));
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
     *
     * <p>Not toStrict(timeout) either: on the timeout it cancels the entity, and akka-http then
     * aborts the connection before the 408 is written. Here the timeout only answers; reading goes
     * on (still size-limited) until akka-http, having sent the 408 as an early response, closes the
     * connection.
     */
    private Route withBody(Function<ByteString, Route> inner) {
        return extractRequestEntity(entity -> {
            if (entity instanceof HttpEntity.Strict strict) {
                return inner.apply(strict.getData());
            }
            return extractMaterializer(materializer -> {
                CompletableFuture<ByteString> body = entity.getDataBytes()
                        .runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), materializer)
                        .toCompletableFuture();
                return onSuccess(body.copy().orTimeout(bodyReadTimeoutMillis, TimeUnit.MILLISECONDS), inner::apply);
            });
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
