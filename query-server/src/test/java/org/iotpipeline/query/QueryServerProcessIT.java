package org.iotpipeline.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged main ({@link QueryServerMain}) in its own JVM with a 512 MB heap, as the start
 * script runs it: it logs READY with its port, streams a million rows without collecting them on
 * the driver, and stops cleanly on SIGTERM.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class QueryServerProcessIT {

    private static final Pattern READY = Pattern.compile("READY: query-server on http://127\\.0\\.0\\.1:(\\d+)");
    private static final long MAX_HEAP = 512L * 1024 * 1024;

    @TempDir
    static Path root;

    private static Process server;
    private static final List<String> output = new CopyOnWriteArrayList<>();
    private static int port;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startServer() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(sparkJvmOptions());
        command.add("-Dquery-server.port=0");
        command.add("-Dquery-server.store.staging-path=" + root.resolve("staging/measurements"));
        command.add("-Dquery-server.store.warehouse-path=" + root.resolve("warehouse/measurements"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(QueryServerMain.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("SPARK_MASTER", "local[2]");
        server = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                }
            } catch (IOException e) {
                output.add("(output closed: " + e + ")");
            }
        }, "query-server-output");
        reader.setDaemon(true);
        reader.start();

        port = await("READY line of the server").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .failFast("the server exited during start-up", () -> !server.isAlive())
                .until(QueryServerProcessIT::readyPort, found -> found > 0);
    }

    private static int readyPort() {
        for (String line : output) {
            Matcher ready = READY.matcher(line);
            if (ready.find()) {
                return Integer.parseInt(ready.group(1));
            }
        }
        return 0;
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void streamsAMillionRowsWithA512MbHeapAndStopsOnSigterm() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/query?format=ndjson"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("SELECT id, id % 1000 AS device_id, id * 0.5D AS value,"
                        + " timestamp_seconds(1764000000 + id) AS window_start, concat('device-', id) AS label"
                        + " FROM range(0, 1000000, 1, 4)"))
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);

        long lines = 0;
        String last = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines++;
                last = line;
            }
        }

        assertThat(lines).isEqualTo(1_000_000);
        assertThat(last).isEqualTo("{\"id\":999999,\"device_id\":999,\"value\":499999.5,"
                + "\"window_start\":\"2025-12-06T05:46:39Z\",\"label\":\"device-999999\"}");
        // The server counts the stream when it closes it, which may be just after the last byte left.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scrape())
                .contains("query_rows_total{format=\"ndjson\"} 1000000.0"));
        assertThat(heapLimit(scrape())).isPositive().isLessThanOrEqualTo(MAX_HEAP);

        server.destroy(); // SIGTERM
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM: %s", output).isTrue();
    }

    /** Sum of the heap pools' maximum sizes, as the server's own /metrics reports them. */
    private static long heapLimit(String metrics) {
        long sum = 0;
        for (String line : metrics.lines().toList()) {
            if (line.startsWith("jvm_memory_max_bytes{area=\"heap\"")) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                if (value > 0) {
                    sum += (long) value;
                }
            }
        }
        return sum;
    }

    /** The JVM options Spark needs on Java 17, from the file the start scripts read. */
    private static List<String> sparkJvmOptions() throws IOException {
        Path file = Path.of("..", "scripts", "lib", "spark-jvm-options");
        return Files.readAllLines(file).stream().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static String scrape() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
