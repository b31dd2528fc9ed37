package org.iotpipeline.gateway.http;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import org.iotpipeline.model.Problem;

/** Builds {@code application/problem+json} responses from {@link Problem}s, and JSON bodies. */
public final class ProblemResponses {

    /** {@value Problem#MEDIA_TYPE}; always UTF-8, like {@code application/json}, so no charset parameter. */
    public static final ContentType PROBLEM_JSON =
            ContentTypes.create(MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8));

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProblemResponses() {
    }

    public static HttpResponse of(Problem problem) {
        return HttpResponse.create().withStatus(problem.status()).withEntity(entity(problem));
    }

    /** A problem whose type and title come from the status, e.g. {@code method-not-allowed}. */
    public static Problem forStatus(StatusCode status, String detail) {
        return Problem.of(status.intValue(), status.reason().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"),
                status.reason(), detail);
    }

    public static HttpEntity.Strict entity(Problem problem) {
        return HttpEntities.create(PROBLEM_JSON, json(problem));
    }

    /** An {@code application/json} body. */
    public static HttpEntity.Strict jsonEntity(Object value) {
        return HttpEntities.create(ContentTypes.APPLICATION_JSON, json(value));
    }

    /** Whether a response already carries a problem body. */
    public static boolean isProblem(HttpResponse response) {
        return response.entity().getContentType().mediaType().toString().equals(Problem.MEDIA_TYPE);
    }

    private static byte[] json(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }
}
