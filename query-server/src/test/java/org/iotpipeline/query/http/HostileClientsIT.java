package org.iotpipeline.query.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.query.QueryServer;
import org.iotpipeline.query.QueryServerSettings;
import org.iotpipeline.query.execution.RunningQuery;
import org.iotpipeline.query.testing.StoreWriter;
import org.iotpipeline.query.testing.TestSpark;
import org.iotpipeline.store.HourPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile client sends (issue 13), over HTTP against the real server on a real local
 * SparkSession: secrets through substitution, host details, unbounded statements, slots held by
 * work that ignores cancels, hung-up clients, other clients' queries, idle connections. After each,
 * the server still answers.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class HostileClientsIT {

    private static final HourPartition H1 = new HourPartition(2026, 11, 29, 1);
    private static final String SLOW_SQL = "SELECT count(*) FROM range(0, 100000000000)";
    /**
     * Seconds of CPU (1.6e9 steps) in one call that ignores interrupts, constant-folded on the query's own
     * thread: far longer than the test server's cancel grace.
     */
    private static final String STUCK_SQL = "SELECT levenshtein(repeat('a', 40000), repeat('b', 40000)) AS d";
    private static final String LOCAL = "address:127.0.0.1";

    @TempDir
    static Path root;

    private static SparkSession spark;
    private static ActorSystem<Void> system;
    private static QueryServer server;
    private static QueryServer secured;
    private static QueryServer limited;
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() {
        spark = TestSpark.start();
        StoreWriter writer = new StoreWriter(spark, root);
        writer.appendToStaging(writer.hourOfRows(H1, 4, 2));
        system = ActorSystem.create(Behaviors.empty(), "hostile-clients-it");
        server = QueryServer.start(settings(Map.of()), spark, system).toCompletableFuture().join();
        secured = QueryServer.start(settings(Map.of("query-server.auth-tokens.alice", "alice-token",
                "query-server.auth-tokens.bob", "bob-token")), spark, system).toCompletableFuture().join();
        limited = QueryServer.start(settings(Map.of("query-server.http.max-connections", 3,
                "query-server.http.idle-timeout", "1s")), spark, system).toCompletableFuture().join();
    }

    @AfterAll
    static void stop() {
        for (QueryServer each : List.of(server, secured, limited)) {
            each.stop(Duration.ofSeconds(2)).toCompletableFuture().join();
        }
        system.terminate();
        spark.stop();
    }

    private static QueryServerSettings settings(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put("query-server.host", "127.0.0.1");
        config.put("query-server.port", 0);
        config.put("query-server.store.staging-path", root.resolve("staging/measurements").toString());
        config.put("query-server.store.warehouse-path", root.resolve("warehouse/measurements").toString());
        config.put("query-server.query.max-concurrent", 2);
        config.put("query-server.query.max-body-size", "16KiB");
        config.put("query-server.query.max-statement-length", 3000);
        config.put("query-server.query.max-statement-nesting", 20);
        config.put("query-server.query.cancel-grace", "200ms");
        config.put("query-server.query.max-timeout", "60s");
        config.putAll(overrides);
        return QueryServerSettings.from(ConfigFactory.parseMap(config).withFallback(ConfigFactory.load()));
    }

    @Test
    void noEnvironmentVariableOrSystemPropertyCanBeReadThroughSql() throws Exception {
        String path = System.getenv("PATH");
        String userDir = System.getProperty("user.dir");
        String[] references = {"${env:PATH}", "${system:user.dir}", "${spark:spark.app.name}",
            "${sparkconf:spark.master}", "${hiveconf:spark.master}", "${hivevar:x}", "${env:PATH:-x}", "$${env:PATH}"};
        for (String reference : references) {
            HttpResponse<String> response = post(server, "SELECT '" + reference + "' AS v", "");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(mapper.readTree(response.body()).get("rows").get(0).get("v").asText()).isEqualTo(reference);
            assertThat(response.body()).doesNotContain(path).doesNotContain(userDir);
        }
        HttpResponse<String> streamed = post(server, "SELECT '${env:PATH}' AS v, \"${system:user.dir}\" AS w", "?format=csv");
        assertThat(streamed.body()).isEqualTo("v,w\n${env:PATH},${system:user.dir}\n");
        HttpResponse<String> parameter = postJson(server, "{\"sql\": \"SELECT :p AS v\", \"parameters\": {\"p\": \"${env:PATH}\"}}");
        assertThat(mapper.readTree(parameter.body()).get("rows").get(0).get("v").asText()).isEqualTo("${env:PATH}");
    }

    @Test
    void hostDetailsAreRefusedEvenWithoutParentheses() throws Exception {
        for (String sql : List.of("SELECT current_user", "SELECT session_user", "SELECT user",
                "SELECT upper(current_user) AS u FROM measurements")) {
            assertProblem(post(server, sql, ""), 403, "query-refused");
        }
        assertAnswers(server);
    }

    @Test
    void plansAndDescriptionsShowNoHostPaths() throws Exception {
        for (String sql : List.of("EXPLAIN SELECT * FROM measurements WHERE hour = 1",
                "EXPLAIN EXTENDED SELECT * FROM measurements WHERE hour = 1",
                "EXPLAIN FORMATTED SELECT count(*) FROM measurements", "EXPLAIN COST SELECT * FROM measurements",
                "DESCRIBE TABLE EXTENDED measurements", "SHOW TABLE EXTENDED LIKE 'measurements'")) {
            HttpResponse<String> response = post(server, sql, "");
            assertThat(response.statusCode()).as(sql + ": " + response.body()).isEqualTo(200);
            assertThat(response.body()).as(sql).doesNotContain(root.toString());
        }
        assertThat(post(server, "EXPLAIN SELECT * FROM measurements WHERE hour = 1", "").body())
                .contains("redacted").contains("PartitionFilters");
    }

    @Test
    void statementsAreBoundedBeforeSparkParsesThem() throws Exception {
        // Refused by the scan before the parser ran: the answer names the limit.
        HttpResponse<String> nested = post(server, "SELECT " + "(".repeat(1000) + "1" + ")".repeat(1000), "");
        assertProblem(nested, 400, "statement-too-complex");
        assertThat(nested.body()).contains("max-statement-nesting");
        assertProblem(post(server, "SELECT " + "[".repeat(30) + "1", ""), 400, "statement-too-complex");
        HttpResponse<String> long_ = post(server, "SELECT " + "1+".repeat(2000) + "1", "");
        assertProblem(long_, 413, "statement-too-large");
        assertThat(long_.body()).contains("max-statement-length");
        // Parentheses in strings and comments are not nesting.
        HttpResponse<String> quoted = post(server, "SELECT '" + "(".repeat(100) + "' AS s /* " + "(".repeat(100) + " */", "");
        assertThat(quoted.statusCode()).as(quoted.body()).isEqualTo(200);
        assertAnswers(server);
    }

    @Test
    void afterMoreStuckQueriesThanSlotsNewQueriesStillRun() throws Exception {
        for (int round = 0; round < 2; round++) { // 4 stuck queries, 2 slots
            await().atMost(Duration.ofMinutes(4)).until(() -> threadsIn("levenshtein") == 0);
            double abandoned = metric(server, "query_abandoned_total");
            List<CompletableFuture<HttpResponse<String>>> stuck = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                stuck.add(postJsonAsync(server, "{\"sql\": \"" + STUCK_SQL + "\", \"queryId\": \"stuck-" + i + "\"}"));
            }
            // Both slots are held by threads inside work that ignores interrupts.
            await().atMost(Duration.ofSeconds(60)).until(() -> threadsIn("levenshtein") == 2);
            assertProblem(post(server, "SELECT 1 AS one", ""), 429, "too-many-queries");
            for (int i = 0; i < 2; i++) {
                assertThat(http.send(HttpRequest.newBuilder(uri(server, "/query/stuck-" + i)).DELETE().build(),
                        BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                assertProblem(stuck.get(i).get(60, TimeUnit.SECONDS), 409, "query-cancelled");
            }
            // After the cancel grace both slots come back although their threads still compute (only a
            // thread that has not finished is abandoned), and new queries run.
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> metric(server, "query_abandoned_total") == abandoned + 2);
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                    assertThat(post(server, "SELECT 1 AS one", "").statusCode()).isEqualTo(200));
        }
        await().atMost(Duration.ofMinutes(4)).until(() -> threadsIn("levenshtein") == 0);
    }

    @Test
    void aQueryWhoseClientHangsUpIsCancelled() throws Exception {
        for (String format : List.of("json", "ndjson")) {
            String id = "gone-" + format;
            try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
                String body = "{\"sql\": \"" + SLOW_SQL + "\", \"queryId\": \"" + id + "\", \"timeoutMs\": 60000}";
                OutputStream out = socket.getOutputStream();
                out.write(("POST /query?format=" + format + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                String group = QueryServerIT.jobGroup(server, id);
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        spark.sparkContext().statusTracker().getJobIdsForGroup(group).length > 0);
                socket.close();
                await().atMost(Duration.ofSeconds(30)).until(() -> running(server, id).isEmpty());
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    for (int job : spark.sparkContext().statusTracker().getJobIdsForGroup(group)) {
                        SparkJobInfo info = spark.sparkContext().statusTracker().getJobInfo(job).get();
                        assertThat(info.status().toString()).isNotEqualTo("RUNNING");
                    }
                });
            }
        }
        assertAnswers(server);
    }

    @Test
    void aClientSeesAndCancelsOnlyItsOwnQueries() throws Exception {
        CompletableFuture<HttpResponse<String>> alices = send(secured, "alice-token",
                "{\"sql\": \"" + SLOW_SQL + "\", \"queryId\": \"shared-id\"}");
        await().atMost(Duration.ofSeconds(60)).until(() -> secured.service().runningQueries("token:alice").size() == 1);

        JsonNode bobSees = mapper.readTree(get(secured, "/queries", "bob-token").body()).get("queries");
        assertThat(bobSees).isEmpty();
        assertProblem(delete(secured, "/query/shared-id", "bob-token"), 404, "query-not-found");
        CompletableFuture<HttpResponse<String>> bobs = send(secured, "bob-token",
                "{\"sql\": \"" + SLOW_SQL + "\", \"queryId\": \"shared-id\"}");
        await().atMost(Duration.ofSeconds(60)).until(() -> secured.service().runningQueries("token:bob").size() == 1);

        JsonNode aliceSees = mapper.readTree(get(secured, "/queries", "alice-token").body()).get("queries");
        assertThat(aliceSees).hasSize(1);
        assertThat(aliceSees.get(0).get("sql").asText()).isEqualTo(SLOW_SQL);
        assertThat(delete(secured, "/query/shared-id", "alice-token").statusCode()).isEqualTo(200);
        assertProblem(alices.get(60, TimeUnit.SECONDS), 409, "query-cancelled");
        assertThat(secured.service().runningQueries("token:bob")).hasSize(1);
        assertThat(delete(secured, "/query/shared-id", "bob-token").statusCode()).isEqualTo(200);
        assertProblem(bobs.get(60, TimeUnit.SECONDS), 409, "query-cancelled");
        assertProblem(get(secured, "/queries", "eve-token"), 401, "unauthorized");
    }

    @Test
    void theListenerCapsConnectionsAndClosesIdleOnes() throws Exception {
        int port = limited.address().getPort();
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                idle.add(new Socket("127.0.0.1", port));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> limited.openConnections() == 3);
            assertThat(rawGet(port, "/health")).startsWith("HTTP/1.1 503").contains("too-many-connections");
            // Idle for longer than idle-timeout: the server closes them, and the next client gets in.
            for (Socket socket : idle) {
                socket.setSoTimeout(30_000);
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> limited.openConnections() == 0);
            assertThat(rawGet(port, "/health")).startsWith("HTTP/1.1 200");
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    private static String rawGet(int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Optional<RunningQuery> running(QueryServer target, String id) {
        return target.service().runningQueries(LOCAL).stream().filter(query -> query.id().equals(id)).findFirst();
    }

    private static long threadsIn(String method) {
        return Thread.getAllStackTraces().values().stream()
                .filter(stack -> Arrays.stream(stack).anyMatch(frame -> frame.getMethodName().contains(method)))
                .count();
    }

    private static double metric(QueryServer target, String name) throws Exception {
        String text = http.send(HttpRequest.newBuilder(uri(target, "/metrics")).build(), BodyHandlers.ofString()).body();
        return text.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static void assertAnswers(QueryServer target) throws Exception {
        HttpResponse<String> response = post(target, "SELECT count(*) AS n FROM measurements", "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(mapper.readTree(response.body()).get("rows").get(0).get("n").asLong()).isEqualTo(96);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = mapper.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo(type);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private static URI uri(QueryServer target, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + target.address().getPort() + pathAndQuery);
    }

    private static HttpResponse<String> post(QueryServer target, String sql, String query) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(target, "/query" + query)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "text/plain").POST(BodyPublishers.ofString(sql)).build(), BodyHandlers.ofString());
    }

    private static HttpResponse<String> postJson(QueryServer target, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(target, "/query")).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(json)).build(),
                BodyHandlers.ofString());
    }

    private static CompletableFuture<HttpResponse<String>> postJsonAsync(QueryServer target, String json) {
        return http.sendAsync(HttpRequest.newBuilder(uri(target, "/query")).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json)).build(), BodyHandlers.ofString());
    }

    private static CompletableFuture<HttpResponse<String>> send(QueryServer target, String token, String json) {
        return http.sendAsync(HttpRequest.newBuilder(uri(target, "/query")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).POST(BodyPublishers.ofString(json)).build(),
                BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(QueryServer target, String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(target, path)).header("Authorization", "Bearer " + token).GET()
                .build(), BodyHandlers.ofString());
    }

    private static HttpResponse<String> delete(QueryServer target, String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(target, path)).header("Authorization", "Bearer " + token).DELETE()
                .build(), BodyHandlers.ofString());
    }
}
