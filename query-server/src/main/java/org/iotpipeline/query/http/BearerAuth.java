package org.iotpipeline.query.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.extractRequest;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.HttpChallenge;
import akka.http.javadsl.model.headers.WWWAuthenticate;
import akka.http.javadsl.server.Route;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.iotpipeline.query.execution.Caller;
import org.iotpipeline.query.execution.ClientConnection;

/**
 * Who is calling. With bearer tokens configured, a request without
 * {@code Authorization: Bearer <token>} or with an unknown token answers 401 with
 * {@code WWW-Authenticate: Bearer realm="query-server"}, and the caller is the token's name
 * ({@code token:<name>}); every token is compared in constant time. Without tokens, the caller is
 * the client's IP address ({@code address:<ip>}). A caller sees and cancels only its own queries.
 */
public final class BearerAuth {

    private static final String SCHEME = "bearer ";
    private static final ClientConnection NO_CONNECTION = action -> () -> { };

    private final Map<String, byte[]> tokens;
    private final ProblemResponses problems;

    /** @param tokens token by name; empty: no authentication */
    public BearerAuth(Map<String, String> tokens, ProblemResponses problems) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        tokens.forEach((name, token) -> bytes.put(name, token.getBytes(StandardCharsets.UTF_8)));
        this.tokens = Map.copyOf(bytes);
        this.problems = Objects.requireNonNull(problems, "problems is null");
    }

    /** Runs {@code inner} for an authenticated caller (401 otherwise). */
    public Route required(Supplier<Route> inner) {
        return caller(caller -> inner.get());
    }

    /** Runs {@code inner} with the caller (401 when tokens are configured and none matches). */
    public Route caller(Function<Caller, Route> inner) {
        return extractRequest(request -> {
            Optional<TrackedConnection> tracked = request.getAttribute(TrackedConnection.KEY);
            ClientConnection connection = tracked.<ClientConnection>map(c -> c).orElse(NO_CONNECTION);
            if (tokens.isEmpty()) {
                String address = tracked.map(c -> c.remoteAddress().getAddress().getHostAddress()).orElse("unknown");
                return inner.apply(new Caller("address:" + address, connection));
            }
            Optional<String> header = request.getHeader("Authorization").map(h -> h.value());
            Optional<String> name = header.flatMap(this::tokenName);
            if (name.isPresent()) {
                return inner.apply(new Caller("token:" + name.get(), connection));
            }
            return complete(unauthorized(header.isPresent()));
        });
    }

    private HttpResponse unauthorized(boolean presented) {
        String detail = presented ? "the bearer token is not valid"
                : "this server requires the header 'Authorization: Bearer <token>'";
        return problems.of(HttpProblem.UNAUTHORIZED, detail)
                .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "query-server")));
    }

    /** The name of the token the header presents; every token is compared, in constant time. */
    private Optional<String> tokenName(String header) {
        if (header.length() < SCHEME.length() || !header.substring(0, SCHEME.length()).equalsIgnoreCase(SCHEME)) {
            return Optional.empty();
        }
        byte[] presented = header.substring(SCHEME.length()).strip().getBytes(StandardCharsets.UTF_8);
        String match = null;
        for (Map.Entry<String, byte[]> token : tokens.entrySet()) {
            if (MessageDigest.isEqual(presented, token.getValue()) && match == null) {
                match = token.getKey();
            }
        }
        return Optional.ofNullable(match);
    }

}
