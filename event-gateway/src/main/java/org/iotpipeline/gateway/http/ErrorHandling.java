package org.iotpipeline.gateway.http;

import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.Allow;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.MethodRejection;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.server.UnsupportedRequestEncodingRejection;
import akka.http.scaladsl.model.EntityStreamException;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.http.scaladsl.model.IllegalRequestException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.zip.DataFormatException;
import java.util.zip.ZipException;
import org.iotpipeline.model.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every rejection and exception of the routes into an {@code application/problem+json}
 * answer with the right status, so clients see one error format.
 */
final class ErrorHandling extends AllDirectives {

    private static final Logger log = LoggerFactory.getLogger(ErrorHandling.class);

    private final long maxBodySize;

    ErrorHandling(long maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    RejectionHandler rejectionHandler() {
        RejectionHandler ours = RejectionHandler.newBuilder()
                .handleAll(MethodRejection.class, this::methodNotAllowed)
                .handle(UnsupportedRequestEncodingRejection.class, rejection -> problem(Problem.of(415,
                        "unsupported-content-encoding", "Unsupported Media Type",
                        "Content-Encoding is not supported; send the body as is or with Content-Encoding: gzip")))
                .handleNotFound(problem(ProblemResponses.forStatus(StatusCodes.NOT_FOUND,
                        "no such resource; the gateway serves POST /events, GET /health, GET /ready, GET /metrics")))
                .build();
        // Anything else: akka's default status and message, wrapped in a problem body.
        return ours.withFallback(RejectionHandler.defaultHandler()).mapRejectionResponse(ErrorHandling::asProblem);
    }

    ExceptionHandler exceptionHandler() {
        return ExceptionHandler.newBuilder()
                .match(CompletionException.class, e -> handle(e.getCause() == null ? e : e.getCause()))
                .matchAny(this::handle)
                .build();
    }

    private Route handle(Throwable failure) {
        if (failure instanceof EntityStreamSizeException) {
            return problem(payloadTooLarge());
        }
        if (failure instanceof IllegalRequestException illegal) {
            // akka's own findings about the request: a declared length over the limit, corrupt gzip, ...
            int status = illegal.status().intValue();
            return problem(status == 413 ? payloadTooLarge() : Problem.of(status,
                    status == 400 ? "bad-request" : "client-error", illegal.status().reason(), illegal.info().formatPretty()));
        }
        if (failure instanceof ZipException || failure instanceof DataFormatException) {
            return problem(Problem.of(400, "bad-request", "Bad Request",
                    "the body is not valid gzip data: " + failure.getMessage()));
        }
        if (failure instanceof EntityStreamException truncated) {
            // The client closed the connection mid-body: its doing, not ours; no ERROR with a stack
            // trace per hostile client.
            return problem(Problem.of(400, "bad-request", "Bad Request",
                    "the request body ended early: " + truncated.info().formatPretty()));
        }
        if (failure instanceof TimeoutException) {
            return problem(ProblemResponses.forStatus(StatusCodes.REQUEST_TIMEOUT,
                    "the request body was not received in time"));
        }
        log.error("Unexpected failure while serving a request", failure);
        return problem(ProblemResponses.forStatus(StatusCodes.INTERNAL_SERVER_ERROR,
                "unexpected error: " + failure.getClass().getSimpleName()));
    }

    Problem payloadTooLarge() {
        return Problem.of(413, "payload-too-large", "Payload Too Large",
                "the body (after decompression) is larger than the limit of " + maxBodySize + " bytes");
    }

    private Route methodNotAllowed(List<MethodRejection> rejections) {
        List<HttpMethod> methods = rejections.stream().map(MethodRejection::supported).distinct().toList();
        String names = methods.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
        return complete(ProblemResponses.of(ProblemResponses.forStatus(StatusCodes.METHOD_NOT_ALLOWED,
                        "method not allowed here; supported: " + names))
                .addHeader(Allow.create(methods.toArray(HttpMethod[]::new))));
    }

    private Route problem(Problem problem) {
        return complete(ProblemResponses.of(problem));
    }

    private static HttpResponse asProblem(HttpResponse response) {
        if (ProblemResponses.isProblem(response) || !(response.entity() instanceof akka.http.javadsl.model.HttpEntity.Strict strict)) {
            return response;
        }
        String detail = strict.getData().utf8String();
        return response.withEntity(ProblemResponses.entity(ProblemResponses.forStatus(response.status(), detail)));
    }
}
