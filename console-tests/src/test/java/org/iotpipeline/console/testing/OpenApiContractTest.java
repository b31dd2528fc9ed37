package org.iotpipeline.console.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/** The oracle itself: each kind of mismatch between an answer and the document is caught. */
class OpenApiContractTest {

    private final OpenApiContract gateway = OpenApiContract.load(OpenApiContract.repositoryRoot(), "gateway");
    private final OpenApiContract query = OpenApiContract.load(OpenApiContract.repositoryRoot(), "query-server");

    @Test
    void aMatchingAnswerPassesAndCountsItsOperation() {
        gateway.check(answer("POST", "/events", 202, "application/json", "{\"accepted\":3}"));
        gateway.check(answer("POST", "/events", 400, "application/problem+json",
                "{\"type\":\"invalid-events\",\"title\":\"Invalid events\",\"status\":400,\"detail\":\"x\","
                        + "\"errors\":[{\"index\":0,\"field\":\"deviceId\",\"reason\":\"is required\"}]}"));
        query.check(answer("DELETE", "/query/abc-1", 404, "application/problem+json",
                "{\"type\":\"query-not-found\",\"title\":\"Query not found\",\"status\":404}"));
        query.check(answer("POST", "/query", 200, "application/x-ndjson; charset=UTF-8", "{\"a\":1}\n[1,2]\n"));

        assertThat(gateway.notExercised()).doesNotContain("POST /events").contains("GET /health", "GET /metrics");
        assertThat(query.notExercised()).doesNotContain("DELETE /query/{queryId}", "POST /query");
    }

    @Test
    void aBodyThatDoesNotMatchItsSchemaFails() {
        assertThatThrownBy(() -> gateway.check(answer("POST", "/events", 202, "application/json", "{\"accepted\":\"3\"}")))
                .hasMessageContaining("does not match").hasMessageContaining("accepted");
        assertThatThrownBy(() -> gateway.check(answer("POST", "/events", 202, "application/json", "{\"accepted\":3,\"x\":1}")))
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> gateway.check(answer("POST", "/events", 400, "application/problem+json",
                "{\"title\":\"Invalid events\",\"status\":400}"))).hasMessageContaining("type");
        assertThatThrownBy(() -> query.check(answer("GET", "/pipeline", 200, "application/json",
                "{\"at\":\"2026-12-01T10:00:00Z\",\"gateway\":{},\"etl\":{}}"))).hasMessageContaining("does not match");
        assertThatThrownBy(() -> query.check(answer("POST", "/query", 200, "application/x-ndjson", "{\"a\":1}\n42\n")))
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> query.check(answer("GET", "/tables", 200, "application/json", "not json")))
                .hasMessageContaining("is not JSON");
    }

    @Test
    void anUndocumentedStatusMediaTypeOrOperationFails() {
        assertThatThrownBy(() -> gateway.check(answer("POST", "/events", 418, "application/problem+json", "{}")))
                .hasMessageContaining("status 418 is not documented");
        assertThatThrownBy(() -> gateway.check(answer("POST", "/events", 202, "text/plain", "ok")))
                .hasMessageContaining("Content-Type text/plain is not one of [application/json]");
        assertThatThrownBy(() -> gateway.check(answer("GET", "/nowhere", 200, "text/plain", "")))
                .hasMessageContaining("no such path");
        assertThatThrownBy(() -> gateway.check(answer("DELETE", "/events", 200, "text/plain", "")))
                .hasMessageContaining("no such operation");
    }

    @Test
    void aMemberWithoutAValueIsFoundWhereverItIs() throws Exception {
        JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(
                "paths:\n  /x:\n    get:\n      responses:\n        '200': {description: ok, then more}\n"
                        + "tags: [{name: a, x: }]\n");

        assertThat(OpenApiContract.nullMembers(spec, "")).containsExactly(
                "/paths/~1x/get/responses/200/then more", "/tags/0/x");
    }

    @Test
    void everyDocumentOfTheRepositoryHasAValueForEveryMember() {
        for (String name : List.of("gateway", "etl-admin", "query-server")) {
            OpenApiContract.load(OpenApiContract.repositoryRoot(), name);
        }
    }

    private static HttpResponse<String> answer(String method, String path, int status, String contentType, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:1" + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpHeaders headers = HttpHeaders.of(Map.of("Content-Type", List.of(contentType)), (name, value) -> true);
        return new HttpResponse<>() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpRequest request() {
                return request;
            }

            @Override
            public Optional<HttpResponse<String>> previousResponse() {
                return Optional.empty();
            }

            @Override
            public HttpHeaders headers() {
                return headers;
            }

            @Override
            public String body() {
                return body;
            }

            @Override
            public Optional<SSLSession> sslSession() {
                return Optional.empty();
            }

            @Override
            public URI uri() {
                return request.uri();
            }

            @Override
            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
    }
}
