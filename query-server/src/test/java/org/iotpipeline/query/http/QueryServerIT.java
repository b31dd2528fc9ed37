package org.iotpipeline.query.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.query.QueryServer;
import org.iotpipeline.query.QueryServerSettings;
import org.iotpipeline.query.guard.HostileSql;
import org.iotpipeline.query.testing.StoreWriter;
import org.iotpipeline.query.testing.TestSpark;
import org.iotpipeline.store.HourPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query server over HTTP, bound to a free port, on a real local SparkSession and a store
 * written with Spark: every status it answers, every Spark type's JSON, streamed answers, timeouts
 * and cancellation that really stop Spark jobs, and the hostile-SQL list.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class QueryServerIT {

    private static final HourPartition H1 = new HourPartition(2026, 11, 29, 1);
    private static final HourPartition H2 = new HourPartition(2026, 11, 29, 2);
    private static final String SLOW_SQL = "SELECT count(*) FROM range(0, 100000000000)";
    private static final String TOKEN = "s3cret-token";
    private static final int CLOSED_PORT = closedPort();

    @TempDir
    static Path root;

    private static SparkSession spark;
    private static ActorSystem<Void> system;
    private static QueryServer server;
    private static QueryServer securedServer;
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() {
        spark = TestSpark.start();
        StoreWriter writer = new StoreWriter(spark, root);
        writer.appendToStaging(writer.hourOfRows(H1, 4, 2)); // 96 rows
        writer.compact(H1, 1);
        writer.appendToStaging(writer.hourOfRows(H2, 4, 2)); // 96 rows
        system = ActorSystem.create(Behaviors.empty(), "query-server-it");
        server = QueryServer.start(settings(Map.of()), spark, system).toCompletableFuture().join();
        securedServer = QueryServer.start(settings(Map.of("query-server.auth-token", TOKEN)), spark, system)
                .toCompletableFuture().join();
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(2)).toCompletableFuture().join();
        securedServer.stop(Duration.ofSeconds(2)).toCompletableFuture().join();
        system.terminate();
        spark.stop();
    }

    private static QueryServerSettings settings(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put("query-server.host", "127.0.0.1");
        config.put("query-server.port", 0);
        config.put("query-server.store.staging-path", root.resolve("staging/measurements").toString());
        config.put("query-server.store.warehouse-path", root.resolve("warehouse/measurements").toString());
        config.put("query-server.store.refresh-interval", "200ms");
        config.put("query-server.query.max-concurrent", 2);
        config.put("query-server.query.max-body-size", "4KiB");
        config.put("query-server.query.max-timeout", "60s");
        // Nothing listens there: the pipeline page shows both services as down.
        config.put("query-server.console.gateway-url", "http://127.0.0.1:" + CLOSED_PORT);
        config.put("query-server.console.etl-url", "http://127.0.0.1:" + CLOSED_PORT);
        config.putAll(overrides);
        return QueryServerSettings.from(ConfigFactory.parseMap(config).withFallback(ConfigFactory.load()));
    }

    @Test
    void answersSqlTextWithRowsAsObjects() throws Exception {
        HttpResponse<String> response = post("SELECT device_id, count(*) AS n, sum(value_sum) / sum(event_count) AS avg"
                + " FROM measurements WHERE year = 2026 AND month = 11 AND day = 29 GROUP BY device_id ORDER BY device_id");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode body = mapper.readTree(response.body());
        assertThat(body.get("columns").toString()).isEqualTo(
                "[{\"name\":\"device_id\",\"type\":\"int\"},{\"name\":\"n\",\"type\":\"bigint\"},"
                        + "{\"name\":\"avg\",\"type\":\"double\"}]");
        assertThat(body.get("rowCount").asInt()).isEqualTo(4);
        assertThat(body.get("truncated").asBoolean()).isFalse();
        assertThat(body.get("rows").get(0).toString()).isEqualTo("{\"device_id\":0,\"n\":48,\"avg\":5.75}");
        assertThat(response.headers().firstValue(ProblemResponses.QUERY_ID_HEADER)).contains(body.get("queryId").asText());
        assertThat(body.get("elapsedMs").asLong()).isNotNegative();
    }

    @Test
    void jsonRequestsTakeParametersRowShapeAndMaxRows() throws Exception {
        HttpResponse<String> response = postJson("{\"sql\": \"SELECT id, :label AS label FROM range(:n)\","
                + " \"parameters\": {\"label\": \"x\", \"n\": 10}, \"maxRows\": 3, \"rows\": \"arrays\"}", "");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = mapper.readTree(response.body());
        assertThat(body.get("rows").toString()).isEqualTo("[[0,\"x\"],[1,\"x\"],[2,\"x\"]]");
        assertThat(body.get("rowCount").asInt()).isEqualTo(3);
        assertThat(body.get("truncated").asBoolean()).isTrue();
    }

    @Test
    void everySparkTypeRoundTripsToTheDocumentedJson() throws Exception {
        HttpResponse<String> response = post("SELECT true AS b, CAST(1 AS TINYINT) AS i8, CAST(2 AS SMALLINT) AS i16,"
                + " 3 AS i32, 9223372036854775807 AS i64, CAST(1.5 AS FLOAT) AS f32, 21.5D AS f64,"
                + " CAST('NaN' AS DOUBLE) AS nan, CAST('Infinity' AS DOUBLE) AS inf, CAST('-Infinity' AS DOUBLE) AS ninf,"
                + " CAST('12345678901234567890.123456789012345678' AS DECIMAL(38,18)) AS dec, 'text' AS s, X'CAFE' AS bin,"
                + " DATE'2026-11-29' AS d, TIMESTAMP'2026-11-29 03:05:00.123456' AS ts,"
                + " TIMESTAMP_NTZ'2026-11-29 03:05:00' AS ntz, INTERVAL '1-2' YEAR TO MONTH AS ym,"
                + " INTERVAL '1 02:03:04.5' DAY TO SECOND AS dt, make_interval(1, 2, 0, 3, 4, 5, 6.5) AS cal,"
                + " array(1, NULL, 3) AS arr, map('a', 1.5D, 'b', NULL) AS m, map(1, 'x') AS mi,"
                + " named_struct('x', 1, 'y', named_struct('z', 'deep')) AS st, parse_json('{\"k\":[1,true,null]}') AS v,"
                + " NULL AS nul, CAST(NULL AS INT) AS null_int");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = mapper.readTree(response.body());
        // Compared as text: the exact JSON a client receives.
        assertThat(response.body()).contains("\"rows\":[{\"b\":true,\"i8\":1,\"i16\":2,\"i32\":3,\"i64\":9223372036854775807,"
                + "\"f32\":1.5,\"f64\":21.5,\"nan\":\"NaN\",\"inf\":\"Infinity\",\"ninf\":\"-Infinity\","
                + "\"dec\":12345678901234567890.123456789012345678,\"s\":\"text\",\"bin\":\"yv4=\","
                + "\"d\":\"2026-11-29\",\"ts\":\"2026-11-29T03:05:00.123456Z\",\"ntz\":\"2026-11-29T03:05:00\","
                + "\"ym\":\"P1Y2M\",\"dt\":\"PT26H3M4.5S\",\"cal\":\"P1Y2M3DT4H5M6.5S\",\"arr\":[1,null,3],"
                + "\"m\":{\"a\":1.5,\"b\":null},\"mi\":[{\"key\":1,\"value\":\"x\"}],\"st\":{\"x\":1,\"y\":{\"z\":\"deep\"}},"
                + "\"v\":{\"k\":[1,true,null]},\"nul\":null,\"null_int\":null}]");
        List<String> types = new ArrayList<>();
        body.get("columns").forEach(column -> types.add(column.get("type").asText()));
        assertThat(types).containsExactly("boolean", "tinyint", "smallint", "int", "bigint", "float", "double", "double",
                "double", "double", "decimal(38,18)", "string", "binary", "date", "timestamp", "timestamp_ntz",
                "interval year to month", "interval day to second", "interval", "array<int>", "map<string,double>",
                "map<int,string>", "struct<x:int,y:struct<z:string>>", "variant", "void", "int");
    }

    @Test
    void answersEveryErrorWithAProblemBody() throws Exception {
        HttpResponse<String> syntax = post("SELEC 1");
        assertProblem(syntax, 400, "invalid-sql");
        assertThat(mapper.readTree(syntax.body()).get("errorClass").asText()).isEqualTo("PARSE_SYNTAX_ERROR");
        assertThat(mapper.readTree(syntax.body()).get("line").asInt()).isEqualTo(1);
        assertThat(mapper.readTree(syntax.body()).get("position").asInt()).isZero();

        HttpResponse<String> missing = post("SELECT *\n  FROM no_such_table");
        assertProblem(missing, 400, "invalid-sql");
        assertThat(mapper.readTree(missing.body()).get("errorClass").asText()).isEqualTo("TABLE_OR_VIEW_NOT_FOUND");
        assertThat(mapper.readTree(missing.body()).get("line").asInt()).isEqualTo(2);
        assertThat(mapper.readTree(missing.body()).get("position").asInt()).isEqualTo(7);

        HttpResponse<String> runtime = post("SELECT raise_error('custom failure')");
        assertProblem(runtime, 400, "query-error");
        assertThat(mapper.readTree(runtime.body()).get("detail").asText()).contains("custom failure");

        assertProblem(postJson("{\"sql\": \"SELECT 1\", \"maxRows\": 0}", ""), 400, "invalid-request");
        assertProblem(post("SELECT 1", "?format=xml"), 400, "invalid-request");
        assertProblem(send(HttpRequest.newBuilder(uri(server, "/nowhere")).GET()), 404, "not-found");
        HttpResponse<String> wrongMethod = send(HttpRequest.newBuilder(uri(server, "/query")).GET());
        assertProblem(wrongMethod, 405, "method-not-allowed");
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("POST");
        assertProblem(post("SELECT '" + "x".repeat(5000) + "'"), 413, "payload-too-large");
        assertProblem(send(HttpRequest.newBuilder(uri(server, "/query")).header("Content-Type", "application/xml")
                .POST(BodyPublishers.ofString("<sql/>"))), 415, "unsupported-media-type");
    }

    @Test
    void aConfiguredTokenIsRequired() throws Exception {
        HttpRequest.Builder query = HttpRequest.newBuilder(uri(securedServer, "/query"))
                .header("Content-Type", "text/plain").POST(BodyPublishers.ofString("SELECT 1 AS one"));

        HttpResponse<String> without = send(query);
        assertProblem(without, 401, "unauthorized");
        assertThat(without.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        assertProblem(send(query.copy().header("Authorization", "Bearer wrong")), 401, "unauthorized");
        assertProblem(send(HttpRequest.newBuilder(uri(securedServer, "/tables")).GET()), 401, "unauthorized");
        assertThat(send(query.copy().header("Authorization", "Bearer " + TOKEN)).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(uri(securedServer, "/health")).GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesEveryHostileStatementAndKeepsAnswering() throws Exception {
        for (String[] hostile : HostileSql.STATEMENTS) {
            HttpResponse<String> response = post(hostile[0]);
            assertProblem(response, 403, "query-refused");
            assertThat(mapper.readTree(response.body()).get("detail").asText()).as(hostile[0]).contains(hostile[1]);
        }
        assertThat(send(HttpRequest.newBuilder(uri(server, "/health")).GET()).statusCode()).isEqualTo(200);
        HttpResponse<String> after = post("SELECT count(*) AS n FROM measurements");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(after.body()).get("rows").get(0).get("n").asLong()).isEqualTo(192);
    }

    @Test
    void aTimedOutQueryAnswers504AndItsSparkJobsEnd() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = postJsonAsync("{\"sql\": \"" + SLOW_SQL + "\","
                + " \"timeoutMs\": 3000, \"queryId\": \"slow-timeout\"}");
        String group = jobGroup(server, "slow-timeout");
        HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);

        assertProblem(response, 504, "query-timeout");
        assertThat(mapper.readTree(response.body()).get("queryId").asText()).isEqualTo("slow-timeout");
        assertSparkJobsOfGroupEnded(group);
    }

    @Test
    void deleteCancelsARunningQueryAndAFullServerAnswers429() throws Exception {
        CompletableFuture<HttpResponse<String>> first = postJsonAsync("{\"sql\": \"" + SLOW_SQL + "\", \"queryId\": \"slow-a\"}");
        CompletableFuture<HttpResponse<String>> second = postJsonAsync("{\"sql\": \"" + SLOW_SQL + "\", \"queryId\": \"slow-b\"}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                mapper.readTree(send(HttpRequest.newBuilder(uri(server, "/queries")).GET()).body()).get("queries"))
                .hasSize(2));
        String groupA = jobGroup(server, "slow-a");
        String groupB = jobGroup(server, "slow-b");
        // Both are inside Spark now, so the DELETEs below must stop running jobs.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(spark.sparkContext().statusTracker().getJobIdsForGroup(groupA)).isNotEmpty();
            assertThat(spark.sparkContext().statusTracker().getJobIdsForGroup(groupB)).isNotEmpty();
        });

        HttpResponse<String> third = post("SELECT 1");
        assertProblem(third, 429, "too-many-queries");
        // Statements are parsed inside admission control: a full server does not parse them at all.
        assertProblem(post("SELEC 1"), 429, "too-many-queries");
        assertThat(third.headers().firstValue("Retry-After")).contains("1");
        assertProblem(postJson("{\"sql\": \"SELECT 1\", \"queryId\": \"slow-a\"}", ""), 429, "too-many-queries");

        HttpResponse<String> cancelled = send(HttpRequest.newBuilder(uri(server, "/query/slow-a")).DELETE());
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(cancelled.body()).isEqualTo("{\"queryId\":\"slow-a\",\"cancelled\":true}");
        assertThat(send(HttpRequest.newBuilder(uri(server, "/query/slow-b")).DELETE()).statusCode()).isEqualTo(200);
        assertProblem(send(HttpRequest.newBuilder(uri(server, "/query/no-such-query")).DELETE()), 404, "query-not-found");

        assertProblem(first.get(60, TimeUnit.SECONDS), 409, "query-cancelled");
        assertProblem(second.get(60, TimeUnit.SECONDS), 409, "query-cancelled");
        assertSparkJobsOfGroupEnded(groupA);
        assertSparkJobsOfGroupEnded(groupB);
        assertThat(post("SELECT 1").statusCode()).isEqualTo(200);
    }

    @Test
    void streamsNdjsonAndCsvLineByLine() throws Exception {
        HttpResponse<String> ndjson = post("SELECT id, id * 0.5D AS half FROM range(0, 25000, 1, 3)", "?format=ndjson");
        assertThat(ndjson.statusCode()).isEqualTo(200);
        assertThat(ndjson.headers().firstValue("Content-Type")).contains("application/x-ndjson");
        assertThat(ndjson.body()).endsWith("\n");
        List<String> lines = ndjson.body().lines().toList();
        assertThat(lines).hasSize(25000);
        assertThat(lines.get(0)).isEqualTo("{\"id\":0,\"half\":0.0}");
        assertThat(lines.get(24999)).isEqualTo("{\"id\":24999,\"half\":12499.5}");

        HttpResponse<String> arrays = post("SELECT device_id, hour FROM measurements ORDER BY hour, device_id LIMIT 1",
                "?format=ndjson&rows=arrays");
        assertThat(arrays.body()).isEqualTo("[0,1]\n");

        HttpResponse<String> csv = post("SELECT id, concat('a,', id) AS s, CAST(NULL AS STRING) AS n FROM range(3)",
                "?format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        assertThat(csv.body()).isEqualTo("id,s,n\n0,\"a,0\",\n1,\"a,1\",\n2,\"a,2\",\n");

        assertProblem(post("DROP VIEW measurements", "?format=ndjson"), 403, "query-refused");
        assertProblem(post("SELECT * FROM nope", "?format=csv"), 400, "invalid-sql");
    }

    @Test
    void aStreamThatFailsPartWayEndsWithAnErrorLineAndIsAborted() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(server, "/query?format=ndjson")).header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofString("SELECT id, CASE WHEN id = 150000 THEN raise_error('boom') ELSE id END AS v"
                        + " FROM range(0, 200000, 1, 4)")).build();
        HttpResponse<InputStream> response = http.send(request, BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);

        List<String> lines = new ArrayList<>();
        IOException transportError = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            transportError = e;
        }

        assertThat(transportError).as("the chunked answer must be cut, not completed").isNotNull();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(50_001);
        JsonNode last = mapper.readTree(lines.get(lines.size() - 1));
        assertThat(last.get("error").get("errorClass").asText()).isEqualTo("USER_RAISED_EXCEPTION");
        assertThat(last.get("error").get("detail").asText()).contains("boom");
        assertThat(lines.get(lines.size() - 2)).startsWith("{\"id\":");
    }

    @Test
    void healthReadyTablesAndMetrics() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri(server, "/health")).GET()).body()).isEqualTo("{\"status\":\"UP\"}");
        JsonNode ready = mapper.readTree(send(HttpRequest.newBuilder(uri(server, "/ready")).GET()).body());
        assertThat(ready.get("status").asText()).isEqualTo("READY");
        assertThat(ready.get("files").asInt()).isEqualTo(2);

        JsonNode tables = mapper.readTree(send(HttpRequest.newBuilder(uri(server, "/tables")).GET()).body()).get("tables");
        assertThat(tables).extracting(t -> t.get("name").asText())
                .containsExactly("latest_readings", "measurements", "measurements_1d", "measurements_1h", "measurements_live");
        JsonNode measurements = tables.get(1);
        assertThat(measurements.get("partitionColumns").toString()).isEqualTo("[\"year\",\"month\",\"day\",\"hour\"]");
        assertThat(measurements.get("columns")).hasSize(17); // 13 data columns, 4 partition columns
        assertThat(measurements.get("columns").get(0).toString())
                .isEqualTo("{\"name\":\"window_start\",\"type\":\"timestamp\",\"nullable\":true}");
        assertThat(measurements.get("store").get("warehouseFiles").asInt()).isEqualTo(1);
        assertThat(measurements.get("store").get("stagingFiles").asInt()).isEqualTo(1);
        assertThat(measurements.get("store").get("firstHour").asText()).isEqualTo("year=2026/month=11/day=29/hour=1");
        JsonNode live = tables.get(4);
        assertThat(live.get("columns")).hasSize(18);
        assertThat(live.get("columns").get(17).get("name").asText()).isEqualTo("final");
        assertThat(live.has("freshness")).isTrue();
        assertThat(tables.get(0).get("columns")).extracting(c -> c.get("name").asText())
                .containsExactly("device_id", "metric_id", "timestamp", "value");

        post("SELECT 1");
        post("SELEC 1");
        String metrics = send(HttpRequest.newBuilder(uri(server, "/metrics")).GET()).body();
        assertThat(metrics).contains("query_requests_total{format=\"json\",outcome=\"ok\"}",
                "query_requests_total{format=\"json\",outcome=\"invalid\"}", "query_duration_seconds_bucket{",
                "query_rows_total{format=\"json\"}", "query_active ", "store_files ");
    }

    /** The Spark job group of a running query of this test's client (waits until it runs). */
    static String jobGroup(QueryServer target, String queryId) {
        return await("query " + queryId + " running").atMost(Duration.ofSeconds(60))
                .until(() -> target.service().runningQueries("address:127.0.0.1").stream()
                        .filter(query -> query.id().equals(queryId)).findFirst(), java.util.Optional::isPresent)
                .get().jobGroup();
    }

    private static void assertSparkJobsOfGroupEnded(String group) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            int[] jobs = spark.sparkContext().statusTracker().getJobIdsForGroup(group);
            assertThat(jobs).as("jobs of " + group).isNotEmpty();
            for (int job : jobs) {
                SparkJobInfo info = spark.sparkContext().statusTracker().getJobInfo(job).get();
                assertThat(info.status().toString()).as("job " + job).isNotEqualTo("RUNNING");
            }
            assertThat(spark.sparkContext().statusTracker().getActiveJobIds()).isEmpty();
        });
    }

    @Test
    void theConsoleIsServedFromTheJarUnderAContentSecurityPolicyWithoutAToken() throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(uri(securedServer, "/")).GET());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(
                org.iotpipeline.query.console.ConsoleRoutes.CONTENT_SECURITY_POLICY);
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.body()).contains("<script type=\"module\" src=\"console/app.js\"></script>");
        String etag = page.headers().firstValue("ETag").orElseThrow();
        assertThat(send(HttpRequest.newBuilder(uri(securedServer, "/")).header("If-None-Match", etag).GET())
                .statusCode()).isEqualTo(304);

        HttpResponse<String> script = send(HttpRequest.newBuilder(uri(securedServer, "/console/vendor/uPlot.esm.js")).GET());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=UTF-8");
        for (String path : List.of("/console/nope.js", "/console/%2e%2e/%2e%2e/pom.xml", "/console/vendor%2F..%2Fapp.js",
                "/console/META-INF/MANIFEST.MF", "/console/org/iotpipeline/query/QueryServer.class", "/console/")) {
            assertThat(send(HttpRequest.newBuilder(uri(securedServer, path)).GET()).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void thePipelineNeedsTheTokenAndShowsServicesThatDoNotAnswerAsDown() throws Exception {
        assertProblem(send(HttpRequest.newBuilder(uri(securedServer, "/pipeline")).GET()), 401, "unauthorized");

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(securedServer, "/pipeline"))
                .header("Authorization", "Bearer " + TOKEN).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode pipeline = mapper.readTree(response.body());
        assertThat(pipeline.get("gateway").get("up").asBoolean()).isFalse();
        assertThat(pipeline.get("gateway").get("error").asText()).isEqualTo("connection refused");
        assertThat(pipeline.get("gateway").get("url").asText()).isEqualTo("http://127.0.0.1:" + CLOSED_PORT);
        assertThat(pipeline.get("etl").get("up").asBoolean()).isFalse();
        assertThat(pipeline.get("etl").get("watermark").isNull()).isTrue();
    }

    private static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = mapper.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).isEqualTo(type);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private static URI uri(QueryServer target, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + target.address().getPort() + pathAndQuery);
    }

    private static HttpResponse<String> post(String sql) throws IOException, InterruptedException {
        return post(sql, "");
    }

    private static HttpResponse<String> post(String sql, String query) throws IOException, InterruptedException {
        // Content type as curl -d sends it.
        return send(HttpRequest.newBuilder(uri(server, "/query" + query))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(BodyPublishers.ofString(sql)));
    }

    private static HttpResponse<String> postJson(String json, String query) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(server, "/query" + query)).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json)));
    }

    private static CompletableFuture<HttpResponse<String>> postJsonAsync(String json) {
        return http.sendAsync(HttpRequest.newBuilder(uri(server, "/query")).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json)).build(), BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(120)).build(), BodyHandlers.ofString());
    }
}
