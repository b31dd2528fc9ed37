package org.iotpipeline.etl.admin;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.MethodRejection;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.iotpipeline.etl.compaction.CompactionReport;
import org.iotpipeline.etl.progress.PipelineStatus;
import org.iotpipeline.etl.progress.QueryStatus;
import org.iotpipeline.etl.progress.StreamProgressTracker;
import org.iotpipeline.http.OpenApiDocument;
import org.iotpipeline.model.Problem;

/**
 * The admin endpoint: {@code GET /health} (200 while both queries run, else 503 with the reason),
 * {@code GET /status} (last progress and totals, and compaction so far, JSON), {@code GET /metrics} (Prometheus text),
 * {@code GET /openapi.yaml} (docs/openapi/etl-admin.yaml).
 * Anything else gets a problem+json 404 or 405.
 */
public final class AdminRoutes extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ContentType PROBLEM_JSON =
            MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8).toContentType();
    private static final ContentType PROMETHEUS_TEXT = ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");
    private static final ContentType OPENAPI_YAML =
            MediaTypes.applicationWithFixedCharset("yaml", HttpCharsets.UTF_8).toContentType();

    private final StreamProgressTracker tracker;
    private final Supplier<CompactionReport> compaction;
    private final PrometheusMeterRegistry registry;
    private final byte[] openApi;

    public AdminRoutes(StreamProgressTracker tracker, Supplier<CompactionReport> compaction,
                       PrometheusMeterRegistry registry) {
        this.tracker = Objects.requireNonNull(tracker, "tracker is null");
        this.compaction = Objects.requireNonNull(compaction, "compaction is null");
        this.registry = Objects.requireNonNull(registry, "registry is null");
        this.openApi = OpenApiDocument.load("etl-admin");
    }

    public Route routes() {
        RejectionHandler problems = RejectionHandler.newBuilder()
                .handleAll(MethodRejection.class, rejections -> complete(problem(Problem.of(405, "method-not-allowed",
                        "Method not allowed", "only GET is supported here"))))
                .handleNotFound(extractUri(uri -> complete(problem(Problem.of(404, "not-found", "Not found",
                        uri.path() + " does not exist; try /health, /status or /metrics")))))
                .build();
        return handleRejections(problems, () -> concat(
                path("health", () -> get(this::health)),
                path("status", () -> get(() -> completeJson(
                        new EtlStatus(tracker.status(), CompactionStatus.of(compaction.get()))))),
                path("metrics", () -> get(() -> complete(HttpResponse.create()
                        .withEntity(HttpEntities.create(PROMETHEUS_TEXT,
                                registry.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8)))))),
                path(OpenApiDocument.PATH, () -> get(() -> complete(HttpEntities.create(OPENAPI_YAML, openApi))))));
    }

    private Route health() {
        PipelineStatus status = tracker.status();
        if (status.healthy()) {
            return completeJson(Map.of("status", "UP"));
        }
        String detail = status.queries().stream()
                .filter(q -> !q.active())
                .map(AdminRoutes::describe)
                .collect(Collectors.joining("; "));
        return complete(problem(Problem.of(503, "query-not-running", "A streaming query is not running", detail)));
    }

    private static String describe(QueryStatus q) {
        return q.name() + (q.failure() == null ? " is not running" : " failed: " + q.failure());
    }

    private Route completeJson(Object body) {
        return complete(HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, toJson(body))));
    }

    private static HttpResponse problem(Problem problem) {
        return HttpResponse.create()
                .withStatus(StatusCodes.get(problem.status()))
                .withEntity(HttpEntities.create(PROBLEM_JSON, toJson(problem)));
    }

    private static byte[] toJson(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialize " + body.getClass().getSimpleName(), e);
        }
    }
}
