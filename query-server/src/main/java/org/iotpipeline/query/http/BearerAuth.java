package org.iotpipeline.query.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.optionalHeaderValueByName;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.HttpChallenge;
import akka.http.javadsl.model.headers.WWWAuthenticate;
import akka.http.javadsl.server.Route;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Optional bearer-token check: when a token is configured, a request without
 * {@code Authorization: Bearer <token>} or with another token answers 401 with
 * {@code WWW-Authenticate: Bearer realm="query-server"}. Tokens are compared in constant time.
 */
public final class BearerAuth {

    private static final String SCHEME = "bearer ";

    private final Optional<byte[]> token;
    private final ProblemResponses problems;

    public BearerAuth(Optional<String> token, ProblemResponses problems) {
        this.token = token.map(value -> value.getBytes(StandardCharsets.UTF_8));
        this.problems = problems;
    }

    public Route required(Supplier<Route> inner) {
        if (token.isEmpty()) {
            return inner.get();
        }
        return optionalHeaderValueByName("Authorization", header -> {
            if (header.isPresent() && matches(header.get())) {
                return inner.get();
            }
            String detail = header.isPresent() ? "the bearer token is not valid"
                    : "this server requires the header 'Authorization: Bearer <token>'";
            HttpResponse response = problems.of(401, "unauthorized", "Unauthorized", detail)
                    .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "query-server")));
            return complete(response);
        });
    }

    private boolean matches(String header) {
        if (header.length() < SCHEME.length() || !header.substring(0, SCHEME.length()).equalsIgnoreCase(SCHEME)) {
            return false;
        }
        byte[] presented = header.substring(SCHEME.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, token.get());
    }
}
