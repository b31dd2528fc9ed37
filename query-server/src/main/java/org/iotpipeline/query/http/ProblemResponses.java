package org.iotpipeline.query.http;

import static akka.http.javadsl.server.Directives.complete;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.http.scaladsl.model.IllegalRequestException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.iotpipeline.model.Problem;
import org.iotpipeline.query.execution.ProblemType;
import org.iotpipeline.query.execution.QueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the query server answers, as {@code application/problem+json} ({@link Problem}),
 * with extension members where they help: {@code errorClass} and {@code sqlState} (Spark's error
 * class and SQLSTATE), {@code line} and {@code position} (where Spark's parser or analyzer stopped:
 * line 1-based, character 0-based) and {@code queryId}.
 */
public final class ProblemResponses {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);
    /** {@code application/problem+json}. */
    public static final ContentType PROBLEM_JSON = ContentTypes.create(
            MediaTypes.applicationWithFixedCharset("problem+json", akka.http.javadsl.model.HttpCharsets.UTF_8));
    /** Header naming the id a query ran under. */
    public static final String QUERY_ID_HEADER = "X-Query-Id";

    private final ObjectMapper mapper;

    public ProblemResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    private HttpResponse of(int status, String type, String title, String detail) {
        return response(body(Problem.of(status, type, title, detail)), status, List.of());
    }

    /** A problem of the HTTP layer (authentication, media type, size, connections, readiness). */
    public HttpResponse of(HttpProblem problem, String detail) {
        return of(problem.status(), problem.type(), problem.title(), detail);
    }

    /** A problem of the query API answered before or outside a query (a bad format, an unlistable store). */
    public HttpResponse of(ProblemType problem, String detail) {
        return of(problem.status(), problem.type(), problem.title(), detail);
    }

    /** The answer to a query that failed; 429 carries {@code Retry-After}. */
    public HttpResponse of(QueryException failure) {
        ObjectNode body = problemBody(failure);
        List<HttpHeader> headers = new ArrayList<>();
        failure.retryAfter().ifPresent(wait -> headers.add(RetryAfter.create(Math.max(1, wait.toSeconds()))));
        failure.queryId().ifPresent(id -> headers.add(RawHeader.create(QUERY_ID_HEADER, id)));
        return response(body, failure.outcome().status(), headers);
    }

    /** The problem body of a failed query (also the payload of a streamed answer's error line). */
    public ObjectNode problemBody(QueryException failure) {
        ObjectNode body = body(Problem.of(failure.outcome().status(), failure.type(), failure.title(),
                failure.getMessage()));
        failure.errorClass().ifPresent(value -> body.put("errorClass", value));
        failure.sqlState().ifPresent(value -> body.put("sqlState", value));
        failure.queryId().ifPresent(value -> body.put("queryId", value));
        failure.line().ifPresent(value -> body.put("line", value));
        failure.position().ifPresent(value -> body.put("position", value));
        return body;
    }

    /**
     * akka-http's own rejections (404, 405, 401 of missing credentials, ...) keep their status and
     * text, in a problem body.
     */
    public RejectionHandler rejectionHandler() {
        return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
            if (response.entity().getContentType().mediaType().equals(PROBLEM_JSON.mediaType())) {
                return response;
            }
            String text = response.entity() instanceof HttpEntity.Strict strict ? strict.getData().utf8String() : "";
            int status = response.status().intValue();
            String reason = response.status().reason();
            Problem problem = Problem.of(status, reason.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'), reason,
                    text);
            return response.withEntity(entity(body(problem)));
        });
    }

    /** Unexpected exceptions: 413 for a body over the limit, 500 (logged) for anything else. */
    public ExceptionHandler exceptionHandler() {
        return ExceptionHandler.newBuilder()
                .match(EntityStreamSizeException.class, e -> complete(of(HttpProblem.PAYLOAD_TOO_LARGE,
                        "the request body is larger than the limit of " + e.limit() + " bytes")))
                // A declared Content-Length over the limit, and other requests akka-http cannot parse.
                .match(IllegalRequestException.class, e -> complete(of(e.status().intValue(),
                        e.status().intValue() == 413 ? HttpProblem.PAYLOAD_TOO_LARGE.type()
                                : e.status().reason().toLowerCase(java.util.Locale.ROOT).replace(' ', '-'),
                        e.status().reason(), e.info().summary())))
                .matchAny(e -> {
                    // The error's text may name files or settings of the host: the client gets a
                    // reference to the log line instead.
                    String reference = UUID.randomUUID().toString();
                    log.error("Unexpected error while answering a request (reference {})", reference, e);
                    return complete(of(HttpProblem.INTERNAL_ERROR, "an unexpected error; the server log names it"
                            + " with reference " + reference));
                })
                .build();
    }

    private ObjectNode body(Problem problem) {
        return mapper.valueToTree(problem);
    }

    private HttpResponse response(ObjectNode body, int status, List<HttpHeader> headers) {
        return HttpResponse.create().withStatus(status).addHeaders(headers).withEntity(entity(body));
    }

    private akka.http.javadsl.model.RequestEntity entity(ObjectNode body) {
        try {
            return akka.http.javadsl.model.HttpEntities.create(PROBLEM_JSON, mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem body always serializes", e);
        }
    }
}
