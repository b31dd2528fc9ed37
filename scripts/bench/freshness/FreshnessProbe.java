import akka.actor.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The freshness probe of scripts/bench-freshness.sh: once a second it POSTs one event of a device
 * of its own (value = the probe's sequence number) through the gateway and notes when the 202
 * arrived; meanwhile one thread per table polls the query server, every POLL_MS, for the highest
 * value of that device the table shows. A probe is visible in a table at the first poll that shows its value (values
 * only grow, and one device's events are committed in order). Prints per table p50, p99 and max of
 * "202 received -> visible", in milliseconds, with the poll interval as the resolution.
 *
 * <p>Usage: java FreshnessProbe GATEWAY_URL QUERY_URL DEVICE SECONDS POLL_MS
 */
public final class FreshnessProbe {

    /** The final table (last in TABLES) is polled this many times less often than the live ones. */
    private static final int FINAL_EVERY = 5;

    private static final String[][] TABLES = {
            {"latest_readings", "SELECT max(value) FROM latest_readings WHERE device_id = %d"},
            {"measurements_live", "SELECT max(value_max) FROM measurements_live WHERE device_id = %d"},
            {"measurements", "SELECT max(value_max) FROM measurements WHERE device_id = %d"}};

    public static void main(String[] args) throws Exception {
        String gateway = args[0];
        String query = args[1];
        int device = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        long pollMs = Long.parseLong(args[4]);
        // "no": measure the live tables only and stop right after the last probe (a trigger sweep
        // then takes minutes, not the final windows' ~6 minutes per run).
        boolean finalRows = args.length < 6 || !"no".equals(args[5]);
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
        // One poller per table, so a slow query of one table does not delay noticing the others.
        List<Thread> pollers = new ArrayList<>();
        for (int t = 0; t < tables; t++) {
            int table = t;
            // The final table takes minutes: poll it less, leave the CPU to what is measured in seconds.
            long interval = table == TABLES.length - 1 ? pollMs * FINAL_EVERY : pollMs;
            Thread poller = new Thread(() -> {
                long seen = 0;
                try {
                    while (System.nanoTime() < pollDeadline && (sending.get() || seen < sent.get())) {
                        long shown = maxValue(system, json, query, String.format(Locale.ROOT, TABLES[table][1], device));
                        long polledAt = System.nanoTime();
                        for (long v = seen + 1; v <= shown; v++) {
                            visibleAt.get(table).putIfAbsent(v, polledAt);
                        }
                        seen = Math.max(seen, shown);
                        Thread.sleep(interval); // the poll interval: the measurement's resolution
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "poll-" + TABLES[table][0]);
            poller.start();
            pollers.add(poller);
        }
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
        for (int t = 0; t < tables; t++) {
            List<Long> latencies = new ArrayList<>();
            for (Map.Entry<Long, Long> ack : ackedAt.entrySet()) {
                Long visible = visibleAt.get(t).get(ack.getKey());
                if (visible != null) {
                    latencies.add(Math.max(0, TimeUnit.NANOSECONDS.toMillis(visible - ack.getValue())));
                }
            }
            latencies.sort(null);
            System.out.printf(Locale.ROOT, "TABLE %-18s visible %4d of %4d  p50 %7d ms  p99 %7d ms  max %7d ms%n", TABLES[t][0],
                    latencies.size(), ackedAt.size(), percentile(latencies, 50), percentile(latencies, 99),
                    latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1));
        }
    }

    private static long maxValue(ActorSystem system, ObjectMapper json, String query, String sql) {
        try {
            HttpResponse response = Http.get(system).singleRequest(HttpRequest.POST(query + "?rows=arrays")
                    .withEntity(ContentTypes.TEXT_PLAIN_UTF8, sql)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            String text = response.entity().toStrict(Duration.ofSeconds(30).toMillis(), system).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS).getData().utf8String();
            if (response.status().intValue() != 200) {
                System.err.println("query answered " + response.status() + ": " + text);
                return 0;
            }
            JsonNode cell = json.readTree(text).path("rows").path(0).path(0);
            return cell.isNumber() ? (long) cell.asDouble() : 0;
        } catch (Exception e) {
            System.err.println("query failed: " + e);
            return 0;
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
