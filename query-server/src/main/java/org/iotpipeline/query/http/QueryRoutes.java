package org.iotpipeline.query.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.completeWithFuture;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.delete;
import static akka.http.javadsl.server.Directives.extractRequestEntity;
import static akka.http.javadsl.server.Directives.extractStrictEntity;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.parameterMap;
import static akka.http.javadsl.server.Directives.path;
import static akka.http.javadsl.server.Directives.pathEnd;
import static akka.http.javadsl.server.Directives.pathPrefix;
import static akka.http.javadsl.server.Directives.post;
import static akka.http.javadsl.server.Directives.withSizeLimit;
import static akka.http.javadsl.server.PathMatchers.segment;

import akka.NotUsed;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaType;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import akka.stream.ActorAttributes;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.iotpipeline.model.QueryResult;
import org.iotpipeline.query.execution.Caller;
import org.iotpipeline.query.execution.ProblemType;
import org.iotpipeline.query.execution.QueryException;
import org.iotpipeline.query.execution.ResultFormat;
import org.iotpipeline.query.execution.QueryRequest;
import org.iotpipeline.query.execution.QueryService;
import org.iotpipeline.query.execution.RowStream;
import scala.concurrent.duration.FiniteDuration;

/**
 * {@code POST /query}, {@code DELETE /query/{queryId}} and {@code GET /queries}.
 *
 * <p>A streamed answer ({@code ?format=ndjson|csv}) is pulled from Spark as the client reads it:
 * Spark's row iterator runs on a dedicated blocking dispatcher and only computes the next partition
 * when the HTTP connection asks for more bytes. When the query fails part-way, the answer ends with
 * an error line <em>and</em> the connection is closed without the chunked body's terminating chunk,
 * so the client reads the error line and then a transfer error (curl exits with 18): a cut stream
 * is never mistaken for a complete one.
 */
public final class QueryRoutes {

    /** Lets the error line of a failed stream pass akka's internal buffers before the failure does. */
    private static final Duration ABORT_DELAY = Duration.ofMillis(200);
    private static final FiniteDuration BODY_READ_TIMEOUT = FiniteDuration.create(30, TimeUnit.SECONDS);

    private final QueryService service;
    private final QueryRequestParser parser;
    private final ProblemResponses problems;
    private final BearerAuth auth;
    private final ObjectMapper mapper;
    private final String blockingDispatcher;
    private final int chunkBytes;

    /**
     * @param blockingDispatcher config path of the dispatcher that pulls Spark's row iterators
     * @param chunkBytes         largest chunk of a streamed answer
     */
    public QueryRoutes(QueryService service, ProblemResponses problems, BearerAuth auth, ObjectMapper mapper,
                       String blockingDispatcher, int chunkBytes) {
        this.service = service;
        this.parser = new QueryRequestParser(mapper);
        this.problems = problems;
        this.auth = auth;
        this.mapper = mapper;
        this.blockingDispatcher = blockingDispatcher;
        this.chunkBytes = chunkBytes;
    }

    public Route route() {
        return concat(
                pathPrefix("query", () -> concat(
                        pathEnd(() -> post(() -> auth.caller(this::postQuery))),
                        path(segment(), id -> delete(() -> auth.caller(caller -> cancel(caller, id)))))),
                path("queries", () -> get(() -> auth.caller(this::listRunning))));
    }

    private Route postQuery(Caller caller) {
        return parameterMap(params -> extractRequestEntity(entity -> {
            MediaType mediaType = entity.getContentType().mediaType();
            Boolean json = isJsonBody(mediaType);
            if (json == null) {
                return complete(problems.of(HttpProblem.UNSUPPORTED_MEDIA_TYPE,
                        "send the SQL as text/plain (or curl's default application/x-www-form-urlencoded), or a JSON"
                                + " query as application/json; got " + mediaType));
            }
            ResultFormat format = ResultFormat.parse(params.getOrDefault("format", "json")).orElse(null);
            if (format == null) {
                return complete(problems.of(ProblemType.INVALID_REQUEST,
                        "format must be json, ndjson or csv, got '" + params.get("format") + "'"));
            }
            int maxBody = service.limits().maxBodyBytes();
            if (entity.getContentLengthOption().isPresent() && entity.getContentLengthOption().getAsLong() > maxBody) {
                return complete(problems.of(HttpProblem.PAYLOAD_TOO_LARGE, "the request body has "
                        + entity.getContentLengthOption().getAsLong() + " bytes, more than the limit of " + maxBody
                        + " (query-server.query.max-body-size)"));
            }
            return withSizeLimit(maxBody, () -> extractStrictEntity(BODY_READ_TIMEOUT, maxBody, strict -> {
                QueryRequest request;
                try {
                    request = parser.parse(strict.getData().toArray(), json, params);
                } catch (QueryException e) {
                    return complete(problems.of(e));
                }
                return format == ResultFormat.JSON ? answerJson(request, caller) : answerStream(request, format, caller);
            }));
        }));
    }

    /** true: JSON query; false: SQL text; null: not acceptable. */
    private static Boolean isJsonBody(MediaType mediaType) {
        if (mediaType.equals(MediaTypes.APPLICATION_JSON)) {
            return true;
        }
        if (mediaType.equals(MediaTypes.TEXT_PLAIN) || mediaType.equals(MediaTypes.APPLICATION_X_WWW_FORM_URLENCODED)
                || (mediaType.mainType().equals("application") && mediaType.subType().equals("sql"))) {
            return false;
        }
        return null;
    }

    private Route answerJson(QueryRequest request, Caller caller) {
        return completeWithFuture(service.execute(request, caller).handle((result, error) -> error == null
                ? jsonResponse(result) : problems.of(queryException(error))));
    }

    private HttpResponse jsonResponse(QueryResult result) {
        return HttpResponse.create()
                .addHeader(RawHeader.create(ProblemResponses.QUERY_ID_HEADER, result.queryId()))
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json(result)));
    }

    private Route answerStream(QueryRequest request, ResultFormat format, Caller caller) {
        LineFormat lines = LineFormat.of(format, mapper);
        QueryRequest shaped = request.withRowShape(lines.rowShape(
                request.rowShape().orElse(service.limits().defaultRowShape())));
        return completeWithFuture(service.stream(shaped, format, caller).handle((stream, error) -> error == null
                ? streamResponse(stream, lines) : problems.of(queryException(error))));
    }

    private HttpResponse streamResponse(RowStream stream, LineFormat format) {
        StreamedLines lines = new StreamedLines(stream, format, problems::problemBody);
        Source<ByteString, NotUsed> body = Source.fromIterator(() -> lines)
                // Spark's iterator blocks while it computes the next partition: keep it off akka's threads.
                .withAttributes(ActorAttributes.dispatcher(blockingDispatcher))
                .async()
                .batchWeighted(chunkBytes, line -> (long) line.size(), line -> line, ByteString::concat)
                // Once the error line went out, fail the entity stream: the connection is then closed
                // before the terminating chunk (HttpBinding), so the client sees an incomplete body.
                .concatLazy(Source.lazySource(() -> lines.failure() == null ? Source.<ByteString>empty()
                        : Source.single(lines.failure()).initialDelay(ABORT_DELAY).<ByteString>map(failure -> {
                            throw new StreamAbortedException(failure);
                        })))
                .watchTermination((notUsed, done) -> {
                    done.whenComplete((ignored, failure) -> stream.close());
                    return notUsed;
                });
        return HttpResponse.create()
                .addHeader(RawHeader.create(ProblemResponses.QUERY_ID_HEADER, stream.queryId()))
                .withEntity(HttpEntities.createChunked(format.contentType(), body));
    }

    /** Only the caller's own queries: another client's id answers 404 as if it did not run. */
    private Route cancel(Caller caller, String queryId) {
        if (service.cancel(caller.owner(), queryId)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("queryId", queryId);
            body.put("cancelled", true);
            return complete(HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json(body))));
        }
        return complete(problems.of(HttpProblem.QUERY_NOT_FOUND,
                "no query with id '" + queryId + "' is running (it may have finished already)"));
    }

    /** Only the caller's own queries. */
    private Route listRunning(Caller caller) {
        Instant now = Instant.now();
        List<Map<String, Object>> queries = service.runningQueries(caller.owner()).stream().map(query -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("queryId", query.id());
            entry.put("format", query.format().label());
            entry.put("startedAt", query.startedAt().toString());
            entry.put("elapsedMs", Duration.between(query.startedAt(), now).toMillis());
            entry.put("sql", query.sql());
            return entry;
        }).toList();
        return complete(HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                json(Map.of("queries", queries)))));
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answers always serialize", e);
        }
    }

    private static QueryException queryException(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (t instanceof QueryException query) {
            return query;
        }
        throw new IllegalStateException("the query service fails only with QueryException", t);
    }

    /** Ends a streamed answer that failed after its first bytes were sent. */
    static final class StreamAbortedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StreamAbortedException(QueryException cause) {
            super("streamed answer aborted: " + cause.getMessage(), cause);
        }
    }
}
