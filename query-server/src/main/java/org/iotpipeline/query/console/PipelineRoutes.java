package org.iotpipeline.query.console;

import static akka.http.javadsl.server.Directives.completeWithFuture;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.path;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;
import org.iotpipeline.query.http.BearerAuth;

/**
 * {@code GET /pipeline}: the write path at a glance ({@link PipelineView}), for the console's
 * pipeline page. Needs the bearer token like {@code /tables} when tokens are configured.
 */
public final class PipelineRoutes {

    private final PipelineMonitor monitor;
    private final BearerAuth auth;
    private final ObjectMapper mapper;

    public PipelineRoutes(PipelineMonitor monitor, BearerAuth auth, ObjectMapper mapper) {
        this.monitor = Objects.requireNonNull(monitor, "monitor is null");
        this.auth = Objects.requireNonNull(auth, "auth is null");
        this.mapper = Objects.requireNonNull(mapper, "mapper is null");
    }

    public Route route() {
        return path("pipeline", () -> get(() -> auth.required(() -> completeWithFuture(
                monitor.current().thenApply(this::json)))));
    }

    private HttpResponse json(PipelineView view) {
        try {
            return HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                    mapper.writeValueAsBytes(view)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the pipeline view always serializes", e);
        }
    }
}
