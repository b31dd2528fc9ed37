package org.iotpipeline.etl.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.iotpipeline.etl.testkit.TestEvents.event;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.iotpipeline.etl.EtlService;
import org.iotpipeline.etl.EtlSettings;
import org.iotpipeline.etl.commit.FaultInjector;
import org.iotpipeline.etl.testkit.EtlSparkExtension;
import org.iotpipeline.etl.testkit.LedgerWatch;
import org.iotpipeline.etl.testkit.MeasurementRow;
import org.iotpipeline.etl.testkit.StagingReader;
import org.iotpipeline.etl.testkit.StoreReader;
import org.iotpipeline.etl.testkit.TestEvents;
import org.iotpipeline.etl.testkit.TestSettings;
import org.iotpipeline.kafka.KafkaBrokerExtension;
import org.iotpipeline.model.Event;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged means stored: events that arrive after their window became final — a backfill into
 * a running pipeline, a late event into an hour already compacted — are counted exactly once, and
 * no (window, device, metric) ever holds more than the ledger at any poll. The whole service
 * (processing-time triggers, idle heartbeat, scheduled compaction) on the real broker and Spark.
 */
class LateEventsIT {

    /** Generous: on a shared 2-core machine under load a micro-batch has taken over a minute. */
    private static final Duration BOUND = Duration.ofMinutes(4);

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final EtlSparkExtension spark = new EtlSparkExtension();

    @Test
    void aLateEventIntoACompactedHourCountsOnceAndTheHourIsRolledUpAgain(@TempDir Path dir) throws Exception {
        EtlSettings settings = serviceSettings("late-into-compacted", dir, "5 minutes", "1 minute");
        HourPartition hour10 = new HourPartition(2025, 11, 24, 10);
        List<Event> onTime = List.of(
                event(1, 1, "2025-11-24T10:00:30Z", 1.0),
                event(1, 1, "2025-11-24T10:07:00Z", 2.0),
                event(2, 1, "2025-11-24T10:07:30Z", 3.0),
                event(3, 1, "2025-11-24T10:55:00Z", 4.0),
                event(9, 9, "2025-11-24T11:30:00Z", 0.0)); // moves the watermark to 11:29: hour 10 is final
        Event late = event(1, 1, "2025-11-24T10:08:00Z", 100.0);
        List<Event> all = new ArrayList<>(onTime);
        all.add(late);
        MeasurementsStore store = settings.paths().store().open(spark.session().sparkContext().hadoopConfiguration());
        StoreReader reader = new StoreReader(store);

        try (EtlService service = EtlService.start(spark.session(), settings, FaultInjector.NONE, Clock.systemUTC());
             TestEvents producer = new TestEvents(kafka.bootstrapServers(), settings.kafka().topic());
             LedgerWatch watch = new LedgerWatch(reader, countsByKey(all, 300_000))) {
            producer.send(onTime);
            await().atMost(BOUND).until(() -> store.currentManifest(hour10).isPresent());
            assertThat(rowsOf(reader, hour10)).containsExactlyElementsOf(expectedRows(onTime, hour10));

            producer.send(List.of(late));
            // Visible with the next micro-batch as a late row in staging, folded into its window by readers.
            await().atMost(BOUND).until(() -> rowsOf(reader, hour10).equals(expectedRows(all, hour10)));
            // Compaction rolls the hour up again: one row per window in the warehouse, the late file absorbed.
            await().atMost(BOUND).until(() -> store.currentManifest(hour10).map(HourManifest::version).orElse(0L) >= 2);
            HourManifest v2 = store.currentManifest(hour10).orElseThrow();
            assertThat(v2.rowCount()).isEqualTo(expectedRows(all, hour10).size());
            assertThat(v2.eventCount()).isEqualTo(5);
            assertThat(rowsOf(reader, hour10)).containsExactlyElementsOf(expectedRows(all, hour10));
            assertThat(service.tracker().totals().lateEvents()).isEqualTo(1);
            assertThat(service.tracker().totals().droppedLate()).isZero();

            watch.close();
            assertThat(watch.violations()).isEmpty();
            assertThat(watch.polls()).isGreaterThan(10);
        }
    }

    @Test
    void liveTrafficThenABackfillOfOtherDevicesThenLiveAgainIsStoredExactlyOnce(@TempDir Path dir) throws Exception {
        // Ten-second windows and two seconds of lateness, so live windows turn final within the test.
        EtlSettings settings = serviceSettings("live-backfill-live", dir, "10 seconds", "2 seconds");
        long windowMs = 10_000;
        MeasurementsStore store = settings.paths().store().open(spark.session().sparkContext().hadoopConfiguration());
        StoreReader reader = new StoreReader(store);
        long now = System.currentTimeMillis();
        List<Event> live = liveEvents(1, now);
        // Two hours ago: every window of it is final long before it arrives.
        List<Event> backfill = new ArrayList<>();
        for (int device = 50; device < 60; device++) {
            for (long t = now - Duration.ofHours(2).toMillis(); t < now - Duration.ofHours(1).toMillis(); t += 37_000) {
                backfill.add(new Event(device, 0, t, (device + t % 7) / 16.0));
            }
        }
        List<Event> all = new ArrayList<>(live);
        all.addAll(backfill);
        List<Event> liveAgain = new ArrayList<>();

        try (EtlService service = EtlService.start(spark.session(), settings, FaultInjector.NONE, Clock.systemUTC());
             TestEvents producer = new TestEvents(kafka.bootstrapServers(), settings.kafka().topic())) {
            producer.send(live);
            await().atMost(BOUND).until(() -> service.tracker().totals().recordsRead() >= live.size()
                    && service.tracker().watermark().isPresent());
            producer.send(backfill);
            liveAgain.addAll(liveEvents(2, System.currentTimeMillis()));
            all.addAll(liveAgain);
            try (LedgerWatch watch = new LedgerWatch(reader, countsByKey(all, windowMs))) {
                producer.send(liveAgain);
                // Every window turns final (the idle heartbeat closes the last ones) and holds exactly its events.
                await().atMost(BOUND).pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> assertThat(reader.countsByKey()).isEqualTo(countsByKey(all, windowMs)));
                watch.close();
                assertThat(watch.violations()).isEmpty();
                assertThat(watch.polls()).isGreaterThan(10);
            }
            assertThat(reader.rows()).containsExactlyElementsOf(expectedRows(all, windowMs));
            assertThat(service.tracker().totals().lateEvents()).isGreaterThanOrEqualTo(backfill.size());
            assertThat(service.tracker().totals().droppedLate()).isZero();
        }
    }

    /** Three rounds of five devices, one event each, stamped in the last few seconds before {@code now}. */
    private static List<Event> liveEvents(int metric, long now) {
        List<Event> events = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int device = 1; device <= 5; device++) {
                events.add(new Event(device, metric, now - round * 1_000L - device, round + device / 16.0));
            }
        }
        return events;
    }

    private EtlSettings serviceSettings(String topic, Path dir, String window, String lateness) {
        kafka.broker().createTopic(topic, 2);
        EtlSettings settings = TestSettings.of(kafka.bootstrapServers(), topic, dir)
                .set("window", window)
                .set("watermark-lateness", lateness)
                .set("trigger-interval", "500 ms")
                .set("idle-timeout", "2 s")
                .set("compaction.enabled", true)
                .set("compaction.initial-delay", "500 ms")
                .set("compaction.interval", "1 s")
                .set("compaction.watermark-lag", "0 s")
                .build();
        kafka.broker().createTopic(settings.kafka().heartbeatTopic(), 1);
        return settings;
    }

    private static List<MeasurementRow> rowsOf(StoreReader reader, HourPartition hour) {
        return reader.rows().stream().filter(r -> r.year() == hour.year() && r.month() == hour.month()
                && r.day() == hour.day() && r.hour() == hour.hour()).toList();
    }

    private static List<MeasurementRow> expectedRows(List<Event> events, HourPartition hour) {
        return expectedRows(events, 300_000).stream().filter(r -> r.hour() == hour.hour() && r.day() == hour.day()).toList();
    }

    /** The rows the events must produce, computed here from the events themselves. */
    static List<MeasurementRow> expectedRows(List<Event> events, long windowMs) {
        Map<String, List<Event>> byKey = new TreeMap<>();
        for (Event e : events) {
            long start = Math.floorDiv(e.timestamp(), windowMs) * windowMs;
            byKey.computeIfAbsent(StoreReader.key(e.deviceId(), e.metricId(), start), k -> new ArrayList<>()).add(e);
        }
        return byKey.values().stream().map(group -> {
            Event first = group.get(0);
            long start = Math.floorDiv(first.timestamp(), windowMs) * windowMs;
            return MeasurementRow.of(Instant.ofEpochMilli(start).toString(), windowMs, first.deviceId(), first.metricId(),
                    group.stream().mapToDouble(Event::value).toArray());
        }).sorted(Comparator.comparing(MeasurementRow::windowStart).thenComparing(MeasurementRow::deviceId)
                .thenComparing(MeasurementRow::metricId)).toList();
    }

    static Map<String, Long> countsByKey(List<Event> events, long windowMs) {
        Map<String, Long> counts = new TreeMap<>();
        for (Event e : events) {
            counts.merge(StoreReader.key(e.deviceId(), e.metricId(), Math.floorDiv(e.timestamp(), windowMs) * windowMs), 1L,
                    Long::sum);
        }
        return counts;
    }
}
