package org.iotpipeline.query.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a fixed set of typical queries against the query server over HTTP and, in the same run and
 * interleaved with it, the same SQL in DuckDB (in this JVM, over the same Parquet files), then
 * prints p50/p95 per query and the Spark/DuckDB ratio as a Markdown table and checks that both
 * engines returned the same rows.
 *
 * <p>Usage: {@code QueryBenchmark <serverUrl> <warehouseRoot> <firstDay yyyy-mm-dd> <days> <warmup>
 * <runs> <resultFile>}.
 */
public final class QueryBenchmark {

    private static final ObjectMapper mapper = new ObjectMapper();

    private QueryBenchmark() {
    }

    /**
     * One benchmark query; {@code {Y} {M} {D}} name a day inside the data, {@code {FROM} {TO}} its
     * first week, {@code {END}} the end of the data. {@code duckSql}: what DuckDB answers the same
     * question with, when it differs (DuckDB has only the 5-minute files).
     */
    record BenchQuery(String name, String sql, String duckSql) {
        BenchQuery(String name, String sql) {
            this(name, sql, sql);
        }

        String bind(LocalDate day, LocalDate first, int days) {
            return bind(sql, day, first, days);
        }

        String bindDuck(LocalDate day, LocalDate first, int days) {
            return bind(duckSql, day, first, days);
        }

        private static String bind(String text, LocalDate day, LocalDate first, int days) {
            return text.replace("{Y}", String.valueOf(day.getYear())).replace("{M}", String.valueOf(day.getMonthValue()))
                    .replace("{D}", String.valueOf(day.getDayOfMonth()))
                    .replace("{FROM}", first + " 00:00:00").replace("{TO}", first.plusDays(Math.min(7, days)) + " 00:00:00")
                    .replace("{START}", first + " 00:00:00").replace("{END}", first.plusDays(days) + " 00:00:00");
        }
    }

    static final List<BenchQuery> QUERIES = List.of(
            new BenchQuery("point lookup: one device, one day",
                    "SELECT window_start, metric_id, value_avg FROM measurements"
                            + " WHERE device_id = 42 AND year = {Y} AND month = {M} AND day = {D}"
                            + " ORDER BY window_start, metric_id"),
            new BenchQuery("hourly rollup: one metric, one day",
                    "SELECT date_trunc('hour', window_start) AS hour_start, sum(value_sum) / sum(event_count) AS avg_value,"
                            + " sum(event_count) AS events FROM measurements"
                            + " WHERE metric_id = 3 AND year = {Y} AND month = {M} AND day = {D}"
                            + " GROUP BY 1 ORDER BY 1"),
            new BenchQuery("top 10 devices by max, one week",
                    "SELECT device_id, max(value_max) AS peak FROM measurements"
                            + " WHERE window_start >= TIMESTAMP '{FROM}' AND window_start < TIMESTAMP '{TO}'"
                            + " GROUP BY device_id ORDER BY peak DESC, device_id LIMIT 10"),
            new BenchQuery("top 10 devices by max, last hour",
                    "SELECT device_id, max(value_max) AS peak FROM measurements"
                            + " WHERE year = {Y} AND month = {M} AND day = {D} AND hour = 23"
                            + " GROUP BY device_id ORDER BY peak DESC, device_id LIMIT 10"),
            new BenchQuery("count by metric, everything",
                    "SELECT metric_id, count(*) AS n, sum(event_count) AS events FROM measurements"
                            + " GROUP BY metric_id ORDER BY metric_id"),
            new BenchQuery("30-day hourly dashboard: one device and metric (Spark: measurements_1h; DuckDB: 5-minute files)",
                    "SELECT window_start AS hour_start, value_sum / event_count AS avg_value, value_min, value_max"
                            + " FROM measurements_1h WHERE device_id = 42 AND metric_id = 1"
                            + " AND window_start >= TIMESTAMP '{START}' AND window_start < TIMESTAMP '{END}'"
                            + " ORDER BY hour_start",
                    "SELECT date_trunc('hour', window_start) AS hour_start, sum(value_sum) / sum(event_count) AS avg_value,"
                            + " min(value_min) AS value_min, max(value_max) AS value_max FROM measurements"
                            + " WHERE device_id = 42 AND metric_id = 1"
                            + " AND window_start >= TIMESTAMP '{START}' AND window_start < TIMESTAMP '{END}'"
                            + " GROUP BY 1 ORDER BY 1"));

    public static void main(String[] args) throws Exception {
        URI server = URI.create(args[0]);
        Path warehouse = Path.of(args[1]).toAbsolutePath();
        LocalDate first = LocalDate.parse(args[2]);
        int days = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int runs = Integer.parseInt(args[5]);
        Path resultFile = Path.of(args[6]);
        LocalDate day = first.plusDays(days / 2);

        HttpClient http = HttpClient.newHttpClient();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement statement = duck.createStatement()) {
                statement.execute("SET TimeZone = 'UTC'");
                statement.execute("CREATE VIEW measurements AS SELECT * FROM read_parquet('" + warehouse
                        + "/**/*.parquet', hive_partitioning = true)");
            }
            Map<BenchQuery, long[]> spark = new LinkedHashMap<>();
            Map<BenchQuery, long[]> duckdb = new LinkedHashMap<>();
            Map<BenchQuery, long[]> serverSide = new LinkedHashMap<>();
            Map<BenchQuery, String> agreement = new LinkedHashMap<>();
            long[] overhead = new long[runs];
            for (BenchQuery query : QUERIES) {
                String sql = query.bind(day, first, days);
                List<List<Object>> sparkRows = null;
                List<List<Object>> duckRows = null;
                for (int i = 0; i < warmup; i++) {
                    sparkRows = viaHttp(http, server, sql, null);
                    duckRows = viaDuckDb(duck, query.bindDuck(day, first, days));
                }
                agreement.put(query, sameRows(sparkRows, duckRows));
                spark.put(query, new long[runs]);
                duckdb.put(query, new long[runs]);
                serverSide.put(query, new long[runs]);
            }
            for (int i = 0; i < warmup; i++) {
                viaHttp(http, server, "SELECT 1", null);
            }
            // Interleaved, so a noisy neighbour on a shared machine slows both engines alike.
            for (int run = 0; run < runs; run++) {
                long start = System.nanoTime();
                viaHttp(http, server, "SELECT 1", null);
                overhead[run] = System.nanoTime() - start;
                for (BenchQuery query : QUERIES) {
                    String sql = query.bind(day, first, days);
                    long[] serverMs = new long[1];
                    start = System.nanoTime();
                    viaHttp(http, server, sql, serverMs);
                    spark.get(query)[run] = System.nanoTime() - start;
                    serverSide.get(query)[run] = serverMs[0] * 1_000_000;
                    start = System.nanoTime();
                    viaDuckDb(duck, query.bindDuck(day, first, days));
                    duckdb.get(query)[run] = System.nanoTime() - start;
                }
            }
            // The round trip on its own as well: back to back on one connection, after its own warm-up,
            // against the server's no-op route on the same connection (the HTTP baseline).
            long[] backToBack = backToBack(http, server, "SELECT 1");
            long[] noOp = backToBack(http, server, null);
            String report = report(spark, duckdb, serverSide, agreement, overhead, runs, warmup, day)
                    + String.format(Locale.ROOT, "%n`SELECT 1` back to back (%d requests after %d warm-up, one connection):"
                    + " p50 %.1f ms, p95 %.1f ms; no-op route `GET /health` the same way: p50 %.2f ms.%n",
                    BACK_TO_BACK_RUNS, BACK_TO_BACK_WARMUP, percentile(backToBack, 50), percentile(backToBack, 95),
                    percentile(noOp, 50));
            System.out.println(report);
            Files.createDirectories(resultFile.toAbsolutePath().getParent());
            Files.writeString(resultFile, report);
        }
    }

    private static final int BACK_TO_BACK_WARMUP = 100;
    private static final int BACK_TO_BACK_RUNS = 300;

    /** Round trips of one statement (or, with null, of {@code GET /health}) one after the other. */
    private static long[] backToBack(HttpClient http, URI server, String sql) throws IOException, InterruptedException {
        long[] times = new long[BACK_TO_BACK_RUNS];
        for (int i = -BACK_TO_BACK_WARMUP; i < BACK_TO_BACK_RUNS; i++) {
            long start = System.nanoTime();
            if (sql == null) {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(server.resolve("/health")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() != 200) {
                    throw new IllegalStateException("GET /health answered " + health.statusCode());
                }
            } else {
                viaHttp(http, server, sql, null);
            }
            if (i >= 0) {
                times[i] = System.nanoTime() - start;
            }
        }
        return times;
    }

    private static List<List<Object>> viaHttp(HttpClient http, URI server, String sql, long[] serverMs)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.resolve("/query?rows=arrays"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(sql)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("query failed with " + response.statusCode() + ": " + response.body());
        }
        JsonNode body = mapper.readTree(response.body());
        if (serverMs != null) {
            serverMs[0] = body.get("elapsedMs").asLong();
        }
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode row : body.get("rows")) {
            List<Object> values = new ArrayList<>();
            row.forEach(value -> values.add(normalize(value)));
            rows.add(values);
        }
        return rows;
    }

    private static List<List<Object>> viaDuckDb(Connection duck, String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement statement = duck.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<Object> values = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    values.add(normalize(result.getObject(i)));
                }
                rows.add(values);
            }
        }
        return rows;
    }

    /** Numbers as doubles, times as epoch milliseconds, so both engines' rows compare. */
    private static Object normalize(Object value) {
        if (value instanceof JsonNode node) {
            if (node.isNumber()) {
                return node.asDouble();
            }
            if (node.isTextual()) {
                try {
                    return (double) Instant.parse(node.asText()).toEpochMilli();
                } catch (java.time.format.DateTimeParseException e) {
                    return node.asText();
                }
            }
            return node.toString();
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof OffsetDateTime time) {
            return (double) time.toInstant().toEpochMilli();
        }
        if (value instanceof java.sql.Timestamp time) {
            return (double) time.toInstant().toEpochMilli();
        }
        if (value instanceof java.time.LocalDateTime time) {
            return (double) time.toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
        }
        return String.valueOf(value);
    }

    private static String sameRows(List<List<Object>> spark, List<List<Object>> duck) {
        if (spark.size() != duck.size()) {
            return "NO (" + spark.size() + " vs " + duck.size() + " rows)";
        }
        for (int r = 0; r < spark.size(); r++) {
            List<Object> a = spark.get(r);
            List<Object> b = duck.get(r);
            for (int c = 0; c < a.size(); c++) {
                Object x = a.get(c);
                Object y = b.get(c);
                boolean same = x instanceof Double dx && y instanceof Double dy
                        ? Math.abs(dx - dy) <= 1e-9 * Math.max(1, Math.abs(dx)) : x.equals(y);
                if (!same) {
                    return "NO (row " + r + " column " + c + ": " + x + " vs " + y + ")";
                }
            }
        }
        return "yes (" + spark.size() + " rows)";
    }

    private static String report(Map<BenchQuery, long[]> spark, Map<BenchQuery, long[]> duckdb,
                                 Map<BenchQuery, long[]> serverSide, Map<BenchQuery, String> agreement,
                                 long[] overhead, int runs, int warmup, LocalDate day) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Runs: %d measured after %d warm-up, interleaved; point/rollup day %s;"
                + " `SELECT 1` round trip p50 %.1f ms.%n%n", runs, warmup, day, percentile(overhead, 50)));
        out.append("| query | Spark via HTTP p50 / p95 (ms) | of which server p50 (ms) | DuckDB p50 / p95 (ms)"
                + " | ratio p50 | same rows |\n|---|---|---|---|---|---|\n");
        for (BenchQuery query : QUERIES) {
            double sparkP50 = percentile(spark.get(query), 50);
            double duckP50 = percentile(duckdb.get(query), 50);
            out.append(String.format(Locale.ROOT, "| %s | %.1f / %.1f | %.0f | %.1f / %.1f | %.1f× | %s |%n",
                    query.name(), sparkP50, percentile(spark.get(query), 95), percentile(serverSide.get(query), 50),
                    duckP50, percentile(duckdb.get(query), 95), sparkP50 / duckP50, agreement.get(query)));
        }
        return out.toString();
    }

    /** Nearest-rank percentile, in milliseconds. */
    static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
