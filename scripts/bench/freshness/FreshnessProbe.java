import akka.actor.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The freshness probe of scripts/bench-freshness.sh: once a second it POSTs one event of a device
 * of its own (value = the probe's sequence number) through the gateway and notes when the 202
 * arrived; meanwhile it polls the query server, every POLL_MS, for the highest value of that
 * device each live table shows (both in one statement), and the final table every fifth interval. A probe is visible in a table at the first poll that shows its value (values
 * only grow, and one device's events are committed in order). Prints per table p50, p99 and max of
 * "202 received -> visible", in milliseconds, with the poll interval as the resolution: over all
 * probes, and again ("STEADY") from the 61st probe on, once the system has warmed up under load.
 *
 * <p>Usage: java FreshnessProbe GATEWAY_URL QUERY_URL DEVICE SECONDS POLL_MS [FINAL_ROWS yes|no] [CSV]
 *
 * <p>With CSV, also writes one line per probe: its number, when its 202 arrived (ms after the
 * first probe) and its latency per table (empty if never visible), for charts over time.
 */
public final class FreshnessProbe {

    /** The final table (last in TABLES) is polled this many times less often than the live ones. */
    private static final int FINAL_EVERY = 5;
    /** Probes from this one on (the second minute) are also reported apart, as the steady state. */
    private static final long FIRST_STEADY_PROBE = 61;

    private static final String[] TABLES = {"latest_readings", "measurements_live", "measurements"};
    /**
     * Both live tables in one statement (one listing, one query's overhead): the probe's own queries
     * compete for the same cores as the pipeline it measures, so it asks as little as it can.
     */
    private static final String LIVE_SQL = "SELECT (SELECT max(value) FROM latest_readings WHERE device_id = %1$d), "
            + "(SELECT max(value_max) FROM measurements_live WHERE device_id = %1$d)";
    private static final String FINAL_SQL = "SELECT max(value_max) FROM measurements WHERE device_id = %d";

    public static void main(String[] args) throws Exception {
        String gateway = args[0];
        String query = args[1];
        int device = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        long pollMs = Long.parseLong(args[4]);
        // "no": measure the live tables only and stop right after the last probe (a trigger sweep
        // then takes minutes, not the final windows' ~6 minutes per run).
        boolean finalRows = args.length < 6 || !"no".equals(args[5]);
        Path csv = args.length < 7 ? null : Path.of(args[6]);
        int tables = finalRows ? TABLES.length : TABLES.length - 1;
        ActorSystem system = ActorSystem.create("freshness-probe", ConfigFactory.parseString(
                "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING").withFallback(ConfigFactory.load()));
        ObjectMapper json = new ObjectMapper();
        Map<Long, Long> ackedAt = new ConcurrentHashMap<>();
        List<Map<Long, Long>> visibleAt = new ArrayList<>();
        for (int t = 0; t < TABLES.length; t++) {
            visibleAt.add(new ConcurrentHashMap<>());
        }
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        // Once the last probe is sent, keep polling until every table shows it (or 10 minutes).
        long pollDeadline = deadline + TimeUnit.MINUTES.toNanos(10);
        AtomicLong sent = new AtomicLong();
        AtomicBoolean sending = new AtomicBoolean(true);
        // The live tables every POLL_MS; the final table on a thread of its own, every FINAL_EVERY polls.
        List<Thread> pollers = new ArrayList<>();
        pollers.add(poller(system, json, query, String.format(Locale.ROOT, LIVE_SQL, device), new int[] {0, 1}, pollMs,
                pollDeadline, sending, sent, visibleAt));
        if (finalRows) {
            pollers.add(poller(system, json, query, String.format(Locale.ROOT, FINAL_SQL, device), new int[] {2},
                    pollMs * FINAL_EVERY, pollDeadline, sending, sent, visibleAt));
        }
        pollers.forEach(Thread::start);
        long nextSend = start;
        try {
            while (System.nanoTime() < deadline) {
                long value = sent.get() + 1;
                String body = String.format(Locale.ROOT, "{\"deviceId\":%d,\"metricId\":0,\"timestamp\":%d,\"value\":%d}",
                        device, System.currentTimeMillis(), value);
                HttpResponse answer = Http.get(system).singleRequest(HttpRequest.POST(gateway)
                        .withEntity(ContentTypes.APPLICATION_JSON, body)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                answer.discardEntityBytes(system);
                if (answer.status().intValue() == 202) {
                    ackedAt.put(value, System.nanoTime());
                }
                sent.set(value);
                nextSend += TimeUnit.SECONDS.toNanos(1);
                long wait = nextSend - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            sending.set(false);
            for (Thread poller : pollers) {
                poller.join();
            }
        } finally {
            Http.get(system).shutdownAllConnectionPools().toCompletableFuture().join();
            system.terminate();
        }
        long sequence = sent.get();
        System.out.printf(Locale.ROOT, "FRESHNESS probes=%d acknowledged=%d poll=%d ms (final rows every %d polls)%n", sequence,
                ackedAt.size(), pollMs, FINAL_EVERY);
        if (csv != null) {
            writeCsv(csv, start, ackedAt, visibleAt, tables);
        }
        for (int t = 0; t < tables; t++) {
            report(TABLES[t], "", ackedAt, visibleAt.get(t), 1);
            // The first minute of probes meets a system still warming up under load (the ETL
            // catching up, the query server's first queries compiled): reported apart, as steady state.
            report(TABLES[t], "STEADY", ackedAt, visibleAt.get(t), FIRST_STEADY_PROBE);
        }
    }

    /** Prints p50, p99 and max of "202 -> visible" over the probes numbered {@code from} on. */
    private static void report(String table, String label, Map<Long, Long> ackedAt, Map<Long, Long> visibleAt, long from) {
        List<Long> latencies = new ArrayList<>();
        int acked = 0;
        for (Map.Entry<Long, Long> ack : ackedAt.entrySet()) {
            if (ack.getKey() < from) {
                continue;
            }
            acked++;
            Long visible = visibleAt.get(ack.getKey());
            if (visible != null) {
                latencies.add(Math.max(0, TimeUnit.NANOSECONDS.toMillis(visible - ack.getValue())));
            }
        }
        latencies.sort(null);
        System.out.printf(Locale.ROOT, "TABLE %-18s %-6s visible %4d of %4d  p50 %7d ms  p99 %7d ms  max %7d ms%n", table,
                label, latencies.size(), acked, percentile(latencies, 50), percentile(latencies, 99),
                latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1));
    }

    private static void writeCsv(Path csv, long start, Map<Long, Long> ackedAt, List<Map<Long, Long>> visibleAt,
                                 int tables) throws IOException {
        StringBuilder out = new StringBuilder("probe,acked_ms");
        for (int t = 0; t < tables; t++) {
            out.append(',').append(TABLES[t]).append("_ms");
        }
        out.append('\n');
        for (Map.Entry<Long, Long> ack : new TreeMap<>(ackedAt).entrySet()) {
            out.append(ack.getKey()).append(',').append(TimeUnit.NANOSECONDS.toMillis(ack.getValue() - start));
            for (int t = 0; t < tables; t++) {
                Long visible = visibleAt.get(t).get(ack.getKey());
                out.append(',').append(visible == null ? "" : Long.toString(
                        Math.max(0, TimeUnit.NANOSECONDS.toMillis(visible - ack.getValue()))));
            }
            out.append('\n');
        }
        Files.writeString(csv, out);
    }

    /** Polls {@code sql} until every probe sent shows; cell {@code i} of its one row is table {@code tables[i]}. */
    private static Thread poller(ActorSystem system, ObjectMapper json, String query, String sql, int[] tables, long intervalMs,
                                 long pollDeadline, AtomicBoolean sending, AtomicLong sent, List<Map<Long, Long>> visibleAt) {
        return new Thread(() -> {
            long[] seen = new long[tables.length];
            try {
                while (System.nanoTime() < pollDeadline && (sending.get() || Arrays.stream(seen).min().orElse(0) < sent.get())) {
                    long[] shown = maxValues(system, json, query, sql, tables.length);
                    long polledAt = System.nanoTime();
                    for (int i = 0; i < tables.length; i++) {
                        for (long v = seen[i] + 1; v <= shown[i]; v++) {
                            visibleAt.get(tables[i]).putIfAbsent(v, polledAt);
                        }
                        seen[i] = Math.max(seen[i], shown[i]);
                    }
                    Thread.sleep(intervalMs); // the poll interval: the measurement's resolution
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "poll-" + TABLES[tables[0]]);
    }

    /** The numbers in the first row of the answer to {@code sql} (0 for NULL, or if the query failed). */
    private static long[] maxValues(ActorSystem system, ObjectMapper json, String query, String sql, int cells) {
        long[] values = new long[cells];
        try {
            HttpResponse response = Http.get(system).singleRequest(HttpRequest.POST(query + "?rows=arrays")
                    .withEntity(ContentTypes.TEXT_PLAIN_UTF8, sql)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            String text = response.entity().toStrict(Duration.ofSeconds(30).toMillis(), system).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS).getData().utf8String();
            if (response.status().intValue() != 200) {
                System.err.println("query answered " + response.status() + ": " + text);
                return values;
            }
            JsonNode row = json.readTree(text).path("rows").path(0);
            for (int i = 0; i < cells; i++) {
                JsonNode cell = row.path(i);
                values[i] = cell.isNumber() ? (long) cell.asDouble() : 0;
            }
        } catch (Exception e) {
            System.err.println("query failed: " + e);
        }
        return values;
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
