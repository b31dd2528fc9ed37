package org.iotpipeline.query.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.completeWithFuture;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.path;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.http.OpenApiDocument;
import org.iotpipeline.query.execution.ProblemType;
import org.iotpipeline.query.table.MeasurementsTable;
import org.iotpipeline.query.table.TableCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health} (the process answers), {@code GET /ready} (the SparkSession runs and the
 * store was listed), {@code GET /metrics} (Prometheus text), {@code GET /tables} and
 * {@code GET /openapi.yaml} (docs/openapi/query-server.yaml).
 */
public final class AdminRoutes {

    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);
    private static final ContentType PROMETHEUS_TEXT = ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");
    private static final ContentType OPENAPI_YAML =
            MediaTypes.applicationWithFixedCharset("yaml", HttpCharsets.UTF_8).toContentType();

    private final SparkSession spark;
    private final MeasurementsTable table;
    private final TableCatalog catalog;
    private final PrometheusMeterRegistry registry;
    private final ProblemResponses problems;
    private final BearerAuth auth;
    private final ObjectMapper mapper;
    private final Executor blocking;
    private final byte[] openApi;

    /** @param blocking runs catalog look-ups, which may block */
    public AdminRoutes(SparkSession spark, MeasurementsTable table, TableCatalog catalog,
                       PrometheusMeterRegistry registry, ProblemResponses problems, BearerAuth auth,
                       ObjectMapper mapper, Executor blocking) {
        this.spark = spark;
        this.table = table;
        this.catalog = catalog;
        this.registry = registry;
        this.problems = problems;
        this.auth = auth;
        this.mapper = mapper;
        this.blocking = blocking;
        this.openApi = OpenApiDocument.load("query-server");
    }

    public Route route() {
        return concat(
                path("health", () -> get(() -> complete(json(Map.of("status", "UP"))))),
                path("ready", () -> get(this::ready)),
                path("metrics", () -> get(() -> complete(HttpResponse.create()
                        .withEntity(HttpEntities.create(PROMETHEUS_TEXT, registry.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8)))))),
                path("tables", () -> get(() -> auth.required(this::tables))),
                path(OpenApiDocument.PATH, () -> get(() -> complete(HttpResponse.create()
                        .withEntity(HttpEntities.create(OPENAPI_YAML, openApi))))));
    }

    private Route ready() {
        if (spark.sparkContext().isStopped()) {
            return complete(problems.of(HttpProblem.NOT_READY, "the SparkSession is stopped"));
        }
        return table.state().map(state -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "READY");
            body.put("files", state.fileCount());
            body.put("listedAt", state.listedAt().toString());
            return complete(json(body));
        }).orElseGet(() -> complete(problems.of(HttpProblem.NOT_READY,
                "the store has not been listed yet (see the log for why)")));
    }

    private Route tables() {
        Supplier<HttpResponse> describe = () -> {
            try {
                return json(Map.of("tables", catalog.describe()));
            } catch (RuntimeException e) {
                log.warn("Describing the tables failed", e);
                return problems.of(ProblemType.STORE_UNAVAILABLE, e.getMessage());
            }
        };
        return completeWithFuture(CompletableFuture.supplyAsync(describe, blocking));
    }

    private HttpResponse json(Object body) {
        try {
            return HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                    mapper.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answers always serialize", e);
        }
    }
}
