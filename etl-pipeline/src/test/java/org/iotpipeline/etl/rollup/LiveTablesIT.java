package org.iotpipeline.etl.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.iotpipeline.etl.EtlService;
import org.iotpipeline.etl.EtlSettings;
import org.iotpipeline.etl.commit.FaultInjector;
import org.iotpipeline.etl.testkit.EtlSparkExtension;
import org.iotpipeline.etl.testkit.TestEvents;
import org.iotpipeline.etl.testkit.TestSettings;
import org.iotpipeline.kafka.KafkaBrokerExtension;
import org.iotpipeline.model.Event;
import org.iotpipeline.store.LiveArea;
import org.iotpipeline.store.MeasurementsStore;
import org.iotpipeline.store.TableReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live tables over what the running service writes (docs/storage.md): events of an open
 * window are answerable as provisional rows of {@code measurements_live} within a few triggers;
 * when the window becomes final its row turns final with the same values, and a reader polling in
 * a tight loop across that moment sees every window exactly once, never above what was sent.
 * Re-sent duplicates change nothing; first/last values and {@code latest_readings} equal what
 * this test computes from the events.
 */
class LiveTablesIT {

    private static final Duration BOUND = Duration.ofMinutes(4);
    private static final long WINDOW_MS = 10_000;
    /** The query server's default (query-server.store.live-rows-on-driver): its live tables are the ones checked. */
    private static final int QUERY_SERVER_LIVE_ROWS_ON_DRIVER = 100_000;

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final EtlSparkExtension spark = new EtlSparkExtension();

    @Test
    void anOpenWindowIsProvisionalThenFinalWithTheSameValuesAndNeverTwice(@TempDir Path dir) throws Exception {
        String topic = "live-tables";
        kafka.broker().createTopic(topic, 2);
        EtlSettings settings = TestSettings.of(kafka.bootstrapServers(), topic, dir)
                .set("window", "10 seconds").set("watermark-lateness", "2 seconds")
                .set("trigger-interval", "500 ms").set("idle-timeout", "2 s").build();
        kafka.broker().createTopic(settings.kafka().heartbeatTopic(), 1);
        TableReader reader = new TableReader(spark.session(),
                settings.paths().store().open(spark.session().sparkContext().hadoopConfiguration()),
                Optional.of(LiveArea.open(settings.paths().live(), spark.session().sparkContext().hadoopConfiguration())),
                QUERY_SERVER_LIVE_ROWS_ON_DRIVER);
        // A window 30-40 s ahead (inside max-future-skew): it stays open while the test looks at it.
        long windowStart = (System.currentTimeMillis() / WINDOW_MS + 3) * WINDOW_MS;
        List<Event> events = new ArrayList<>();
        List<Event> early = new ArrayList<>();
        List<Event> later = new ArrayList<>();
        for (int device = 1; device <= 3; device++) {
            for (int i = 0; i < 4; i++) {
                Event event = new Event(device, 0, windowStart + 1_000L * i + device, (device * 10 + i) / 16.0);
                events.add(event);
                (i < 2 ? early : later).add(event);
            }
        }
        // And the same devices' newest reading, in an earlier window, for latest_readings across windows.
        Event older = new Event(4, 0, windowStart - 3 * WINDOW_MS, 0.5);
        List<Event> all = new ArrayList<>(events);
        all.add(older);
        Map<String, Expected> expected = expected(all);

        try (EtlService service = EtlService.start(spark.session(), settings, FaultInjector.NONE, Clock.systemUTC());
             TestEvents producer = new TestEvents(kafka.bootstrapServers(), topic);
             Poller poller = new Poller(reader, expected)) {
            // Half of each window first, the rest once a batch has read it: the later batch must fold
            // into the open-window snapshot, so a key would show twice if it were written beside it.
            producer.send(early);
            await().atMost(BOUND).until(() -> service.tracker().totals().recordsRead() >= early.size());
            List<Event> rest = new ArrayList<>(later);
            rest.add(older);
            producer.send(rest);
            producer.send(events); // client retries of every event: counted once

            await().atMost(BOUND).untilAsserted(() -> assertThat(poller.provisionalMatches()).isTrue());
            assertThat(latestReadings(reader.read(reader.list()))).containsExactlyInAnyOrder(latest(all).toArray(String[]::new));

            await().atMost(BOUND).untilAsserted(() -> assertThat(poller.finalMatches()).isTrue());
            // Once no window is open, every reading has left the open windows: the latest readings
            // the ETL wrote when they turned final must hold them.
            await().atMost(BOUND).untilAsserted(() -> {
                TableReader.Tables tables = reader.read(reader.list());
                assertThat(tables.measurementsLive().filter("NOT final").count()).isZero();
                assertThat(latestReadings(tables)).containsExactlyInAnyOrder(latest(all).toArray(String[]::new));
            });
            poller.close();
            assertThat(poller.violations()).isEmpty();
            assertThat(poller.polls()).isGreaterThan(10);
            assertThat(poller.readOnDriver()).isTrue();
            // Every retry was dropped (the exact counts above prove each event counted once); the
            // counter also holds heartbeats re-sent with the same time while batches lag (README).
            assertThat(service.tracker().totals().duplicatesDropped())
                    .isBetween((long) events.size(), events.size() + service.tracker().totals().heartbeatsSent());
        }
    }

    /** What each key must show once every event arrived. */
    private static Map<String, Expected> expected(List<Event> events) {
        Map<String, Expected> byKey = new TreeMap<>();
        for (Event e : events) {
            long start = Math.floorDiv(e.timestamp(), WINDOW_MS) * WINDOW_MS;
            byKey.computeIfAbsent(e.deviceId() + "/" + e.metricId() + "/" + start, k -> new Expected()).add(e);
        }
        return byKey;
    }

    private static List<String> latestReadings(TableReader.Tables tables) {
        return tables.latestReadings().collectAsList().stream()
                .map(r -> r.getInt(0) + "/" + r.getInt(1) + "@" + ((Timestamp) r.get(2)).getTime() + "=" + r.getDouble(3))
                .toList();
    }

    private static List<String> latest(List<Event> events) {
        Map<String, Event> newest = new TreeMap<>();
        for (Event e : events) {
            newest.merge(e.deviceId() + "/" + e.metricId(), e, (a, b) -> a.timestamp() >= b.timestamp() ? a : b);
        }
        return newest.values().stream().map(e -> e.deviceId() + "/" + e.metricId() + "@" + e.timestamp() + "=" + e.value())
                .toList();
    }

    /** Count, sum, first and last of one window, computed here. */
    private static final class Expected {
        long count;
        double sum;
        long firstTs = Long.MAX_VALUE;
        double first;
        long lastTs = Long.MIN_VALUE;
        double last;

        void add(Event e) {
            count++;
            sum += e.value();
            if (e.timestamp() < firstTs) {
                firstTs = e.timestamp();
                first = e.value();
            }
            if (e.timestamp() > lastTs) {
                lastTs = e.timestamp();
                last = e.value();
            }
        }

        boolean sameAs(Row row) {
            return row.getLong(row.fieldIndex("event_count")) == count && row.getDouble(row.fieldIndex("value_sum")) == sum
                    && ((Timestamp) row.getAs("first_timestamp")).getTime() == firstTs
                    && row.getDouble(row.fieldIndex("value_first")) == first
                    && ((Timestamp) row.getAs("last_timestamp")).getTime() == lastTs
                    && row.getDouble(row.fieldIndex("value_last")) == last;
        }
    }

    /**
     * Reads {@code measurements_live} in a tight loop on its own thread: records every moment a key
     * appeared twice, held more events than sent, or was unknown; and whether the table ever
     * equalled the expectation with the new windows provisional, and later with all final.
     */
    private static final class Poller implements AutoCloseable {
        private final TableReader reader;
        private final Map<String, Expected> expected;
        private final List<String> violations = new CopyOnWriteArrayList<>();
        private final AtomicInteger polls = new AtomicInteger();
        private final AtomicBoolean provisionalMatch = new AtomicBoolean();
        private final AtomicBoolean finalMatch = new AtomicBoolean();
        private final AtomicBoolean readOnDriver = new AtomicBoolean();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Poller(TableReader reader, Map<String, Expected> expected) {
            this.reader = reader;
            this.expected = expected;
            this.thread = new Thread(this::loop, "live-poller");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            Optional<TableReader.Tables> earlier = Optional.empty();
            while (running.get()) {
                try {
                    // As the query server reads: reusing what the earlier listing read.
                    TableReader.Tables tables = reader.read(reader.list(), earlier);
                    earlier = Optional.of(tables);
                    if (tables.driverRows().isPresent()) {
                        readOnDriver.set(true);
                    }
                    check(tables.measurementsLive().collectAsList());
                    polls.incrementAndGet();
                } catch (Exception e) {
                    violations.add("poll " + polls.get() + " failed: " + e);
                }
            }
        }

        private void check(List<Row> rows) {
            Map<String, Row> seen = new TreeMap<>();
            for (Row row : rows) {
                String key = row.getInt(row.fieldIndex("device_id")) + "/" + row.getInt(row.fieldIndex("metric_id")) + "/"
                        + ((Timestamp) row.getAs("window_start")).getTime();
                Expected allowed = expected.get(key);
                if (seen.put(key, row) != null) {
                    violations.add("poll " + polls.get() + ": " + key + " appears twice");
                } else if (allowed == null || row.getLong(row.fieldIndex("event_count")) > allowed.count) {
                    violations.add("poll " + polls.get() + ": " + key + " holds " + row.getAs("event_count") + ", sent "
                            + (allowed == null ? 0 : allowed.count));
                }
            }
            boolean allThere = seen.size() == expected.size()
                    && expected.entrySet().stream().allMatch(e -> seen.containsKey(e.getKey())
                    && e.getValue().sameAs(seen.get(e.getKey())));
            long provisional = seen.values().stream().filter(r -> !r.getBoolean(r.fieldIndex(TableReader.FINAL))).count();
            if (allThere && provisional > 0) {
                provisionalMatch.set(true);
            }
            if (allThere && provisional == 0) {
                finalMatch.set(true);
            }
        }

        boolean provisionalMatches() {
            return provisionalMatch.get();
        }

        /** Whether a poll read the live parts computed in the driver's memory, as the query server does. */
        boolean readOnDriver() {
            return readOnDriver.get();
        }

        boolean finalMatches() {
            return finalMatch.get();
        }

        int polls() {
            return polls.get();
        }

        List<String> violations() {
            return List.copyOf(violations);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
