package org.iotpipeline.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query server as {@code scripts/start-query-server.sh} runs it (its own JVM, -Xmx1g, under the
 * supervisor, a bearer token in QUERY_SERVER_TOKEN), attacked over HTTP as issue 13 describes:
 * secrets through substitution, queries that used to end the JVM, unbounded statements, XML that
 * reads files, host details. The JVM must be the same one afterwards, still answering; and when it
 * is killed anyway, the supervisor starts it again and says so.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueryServerScriptIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final String TOKEN = "secret-" + UUID.randomUUID();

    @TempDir
    static Path data;

    private static int port;
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void startWithTheScript() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        assertThat(script("start-query-server.sh")).as(log()).isZero();
    }

    @AfterAll
    static void stopWithTheScript() throws Exception {
        long supervisor = supervisorPid();
        assertThat(script("stop-query-server.sh")).isZero();
        assertThat(ProcessHandle.of(supervisor).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    @Order(1)
    void noSecretComesBackThroughVariableSubstitution() throws Exception {
        for (String reference : List.of("${env:QUERY_SERVER_TOKEN}", "${system:sun.java.command}",
                "${system:java.class.path}", "${env:PATH}")) {
            HttpResponse<String> response = query("SELECT '" + reference + "' AS v");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(mapper.readTree(response.body()).get("rows").get(0).get("v").asText()).isEqualTo(reference);
            assertThat(response.body()).doesNotContain(TOKEN).doesNotContain("QueryServerMain");
        }
    }

    @Test
    @Order(2)
    void queriesThatEndedTheJvmFailAloneAndTheServerKeepsAnswering() throws Exception {
        long java = javaPid();
        Map<String, Integer> killers = Map.of(
                "SELECT length(repeat(cast(id AS string), 2147483647)) FROM range(1)", 400,
                "SELECT size(sequence(1, 200000000 + id)) FROM range(1)", 400,
                "SELECT size(array_repeat(id, 2147483647)) FROM range(1)", 400,
                "SELECT length(repeat(repeat('x', 100000 + id), 15000)) FROM range(1)", 400,
                "SELECT concat(repeat('0', 200000 + id), '!') RLIKE '^(0|1)*$' FROM range(1)", 403,
                "SELECT regexp_like(concat(repeat('0', 200000 + id), '!'), '^(0|1)*$') FROM range(1)", 403);
        for (Map.Entry<String, Integer> killer : killers.entrySet()) {
            HttpResponse<String> response = query(killer.getKey());
            // 400 for what ran out of memory or over a Spark size limit, 403 for regular expressions.
            assertThat(response.statusCode()).as(killer.getKey() + ": " + response.body()).isEqualTo(killer.getValue());
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(answersCount()).isEqualTo(1);
        }
        assertThat(javaPid()).as("the same JVM: nothing was restarted").isEqualTo(java);
        assertThat(log()).doesNotContain("SUPERVISOR");
    }

    @Test
    @Order(3)
    void unboundedStatementsAreRefusedBeforeTheParserRuns() throws Exception {
        long java = javaPid();
        assertThat(query("SELECT " + "(".repeat(10_000) + "1" + ")".repeat(10_000)).statusCode()).isEqualTo(400);
        assertThat(query("SELECT " + "(".repeat(30_000) + "1" + ")".repeat(30_000)).statusCode()).isEqualTo(400);
        assertThat(query("SELECT " + "1+".repeat(340_000) + "1").statusCode()).isEqualTo(413);
        assertThat(answersCount()).isEqualTo(1);
        assertThat(javaPid()).isEqualTo(java);
    }

    @Test
    @Order(4)
    void noFunctionReadsFilesOrShowsHostDetails() throws Exception {
        for (String sql : List.of(
                "SELECT from_xml('<a>1</a>', 'a INT', map('rowValidationXSDPath', '/etc/passwd'))",
                "SELECT xpath_string('<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>', 'a')",
                "DESCRIBE NAMESPACE EXTENDED default", "SELECT current_user()", "SELECT current_user",
                "SELECT input_file_name() FROM measurements")) {
            HttpResponse<String> response = query(sql);
            assertThat(response.statusCode()).as(sql + ": " + response.body()).isEqualTo(403);
        }
        HttpResponse<String> explain = query("EXPLAIN EXTENDED SELECT * FROM measurements");
        assertThat(explain.statusCode()).isEqualTo(200);
        assertThat(explain.body()).doesNotContain(data.toString()).doesNotContain(REPO.toString());
    }

    @Test
    @Order(5)
    void aKilledServerIsRestartedByItsSupervisorWhichSaysSo() throws Exception {
        long java = javaPid();
        ProcessHandle.of(java).orElseThrow().destroyForcibly();
        await("the supervisor's restart").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> log().contains("SUPERVISOR query-server: !!! query-server died: it was killed"));
        await("a new JVM answering").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> javaPid() != java && answersCount() == 1);
    }

    private static long answersCount() throws Exception {
        HttpResponse<String> response = query("SELECT count(*) AS n FROM range(1)");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = mapper.readTree(response.body());
        return body.get("rows").get(0).get("n").asLong();
    }

    private static HttpResponse<String> query(String sql) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/query"))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", "text/plain")
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int script(String name) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", REPO.resolve("scripts").resolve(name).toString())
                .redirectErrorStream(true).redirectOutput(data.resolve(name + ".out").toFile());
        builder.environment().put("IOT_DATA_DIR", data.toString());
        builder.environment().put("QUERY_SERVER_PORT", String.valueOf(port));
        builder.environment().put("QUERY_SERVER_TOKEN", TOKEN);
        builder.environment().put("SPARK_MASTER", "local[2]");
        Process process = builder.start();
        assertThat(process.waitFor(4, TimeUnit.MINUTES)).as(name + " finished").isTrue();
        return process.exitValue();
    }

    private static long supervisorPid() throws IOException {
        return Long.parseLong(Files.readString(data.resolve("run/query-server.pid")).strip());
    }

    /** The server's JVM: the supervisor's child. */
    private static long javaPid() throws IOException {
        return ProcessHandle.of(supervisorPid()).orElseThrow().children()
                .filter(child -> child.info().command().map(command -> command.endsWith("java")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no java child of the supervisor")).pid();
    }

    private static String log() {
        try {
            Path log = data.resolve("logs/query-server.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }
}
