package org.iotpipeline.query.http;

import static akka.http.javadsl.server.Directives.extractRequest;
import static akka.http.javadsl.server.Directives.path;
import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.iotpipeline.query.json.JsonMappers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API's answer to an error it did not expect, over a real socket. */
class ProblemResponsesTest {

    private static final String SECRET = "/etc/iot/secrets/token-of-the-host";

    private static ActorSystem<Void> system;
    private static ServerBinding binding;

    @BeforeAll
    static void start() {
        system = ActorSystem.create(Behaviors.empty(), "problem-responses-test");
        Route failing = path("boom", () -> extractRequest(request -> {
            throw new IllegalStateException("cannot open " + SECRET);
        }));
        binding = Http.get(system).newServerAt("127.0.0.1", 0)
                .bind(HttpApi.route(new ProblemResponses(JsonMappers.create()), failing))
                .toCompletableFuture().join();
    }

    @AfterAll
    static void stop() {
        binding.unbind().toCompletableFuture().join();
        system.terminate();
    }

    @Test
    void anUnexpectedErrorIsA500WithAReferenceAndNotTheErrorsText() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/boom")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode body = new ObjectMapper().readTree(response.body());
        assertThat(body.get("type").asText()).endsWith(HttpProblem.INTERNAL_ERROR.type());
        assertThat(body.get("detail").asText()).containsPattern("reference [0-9a-f-]{36}");
        assertThat(response.body()).doesNotContain("secrets").doesNotContain("cannot open");
    }
}
