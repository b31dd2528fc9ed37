package org.iotpipeline.etl.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.iotpipeline.etl.EtlSettings;
import org.iotpipeline.etl.compaction.CompactionReport;
import org.iotpipeline.etl.commit.CommitOutcome;
import org.iotpipeline.etl.commit.StreamState;
import org.iotpipeline.etl.progress.ProgressStore;
import org.iotpipeline.etl.progress.StreamProgressTracker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin endpoint over real HTTP, fed by a tracker that has seen some commits but no query start
 * (no Spark needed).
 */
class AdminRoutesTest {

    private static final HttpClient http = HttpClient.newHttpClient();
    private static AdminServer server;

    @BeforeAll
    static void start(@TempDir Path dir) {
        StreamProgressTracker tracker = new StreamProgressTracker("events",
                new ProgressStore(dir.resolve("progress.json").toUri().toString(), new Configuration()), Clock.systemUTC());
        tracker.onCommit(new CommitOutcome("measurements", 3, false, 120, 2, 40,
                new StreamState(1_764_000_300_000L, "b-000000003", "b-000000003", 1_764_000_360_000L), 7));
        tracker.onCommit(new CommitOutcome("dead-letters", 3, false, 4, 1, 10, null, 0));
        tracker.onCommit(new CommitOutcome("measurements", 4, true, 0, 0, 5, new StreamState(1_764_000_300_000L, "b-000000003", "b-000000003", 1_764_000_360_000L), 0));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EtlMetrics.bind(registry, tracker);
        server = AdminServer.start(new EtlSettings.Admin("127.0.0.1", 0), new AdminRoutes(tracker, () -> CompactionReport.EMPTY, registry).routes());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void healthIs503NamingTheQueriesThatAreNotRunning() throws Exception {
        HttpResponse<String> response = get("/health");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = new ObjectMapper().readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("detail").asText()).contains("measurements is not running").contains("dead-letters");
    }

    @Test
    void statusShowsTotalsAndBothQueries() throws Exception {
        HttpResponse<String> response = get("/status");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode status = new ObjectMapper().readTree(response.body());
        assertThat(status.get("totals").get("rowsWritten").asLong()).isEqualTo(120);
        assertThat(status.get("totals").get("filesWritten").asLong()).isEqualTo(2);
        assertThat(status.get("totals").get("deadLetters").asLong()).isEqualTo(4);
        assertThat(status.get("totals").get("batchesSkipped").asLong()).isEqualTo(1);
        assertThat(status.get("compaction").get("runs").asLong()).isZero();
        assertThat(status.get("compaction").get("lastRunAt").isNull()).isTrue();
        assertThat(status.get("queries")).extracting(q -> q.get("name").asText())
                .containsExactly("dead-letters", "measurements");
        assertThat(status.get("watermark").asText()).isEqualTo("2025-11-24T16:05:00Z");
        assertThat(status.get("totals").get("lateEvents").asLong()).isEqualTo(7);
        assertThat(status.get("totals").get("droppedLate").asLong()).isZero();
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/plain"));
        assertThat(response.body()).contains("etl_dead_letters_total 4.0")
                .contains("etl_late_events_total 7.0")
                .contains("etl_watermark_seconds 1.7640003E9")
                .contains("etl_query_active{query=\"measurements\"} 0.0")
                .contains("etl_kafka_lag_offsets{query=\"dead-letters\"}")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void servesItsOpenApiDocument() throws Exception {
        HttpResponse<String> response = get("/openapi.yaml");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/yaml");
        assertThat(response.body()).startsWith("openapi: 3.1.0").contains("  /status:");
    }

    @Test
    void unknownPathsAndMethodsGetProblemBodies() throws Exception {
        HttpResponse<String> missing = get("/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("/nope does not exist");

        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/status"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
