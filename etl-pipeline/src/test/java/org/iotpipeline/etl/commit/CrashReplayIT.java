package org.iotpipeline.etl.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.iotpipeline.etl.EtlSettings;
import org.iotpipeline.etl.stream.MeasurementsQuery;
import org.iotpipeline.etl.testkit.EtlSparkExtension;
import org.iotpipeline.etl.testkit.MeasurementRow;
import org.iotpipeline.etl.testkit.StagingReader;
import org.iotpipeline.etl.testkit.TestEvents;
import org.iotpipeline.etl.testkit.TestSettings;
import org.iotpipeline.kafka.KafkaBrokerExtension;
import org.iotpipeline.model.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the measurements query inside the commit protocol (via the committer's fault hook) and
 * restarts it from its checkpoint: every row must end up in staging exactly once.
 */
class CrashReplayIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final EtlSparkExtension spark = new EtlSparkExtension();

    @Test
    void aBatchThatDiedHalfPlacedIsRedoneAndAReplayOfACommittedBatchIsSkipped(@TempDir Path dir) throws Exception {
        String topic = "crash";
        kafka.broker().createTopic(topic, 2);
        EtlSettings settings = TestSettings.of(kafka.bootstrapServers(), topic, dir).set("files-per-hour", 2).build();
        kafka.broker().createTopic(settings.kafka().heartbeatTopic(), 1);
        List<Event> events = events();
        try (TestEvents producer = new TestEvents(kafka.bootstrapServers(), topic)) {
            producer.send(events);
            producer.send(List.of(TestEvents.event(99, 1, "2025-11-24T12:00:00Z", 0.0))); // closes every window above
        }
        List<MeasurementRow> expected = expectedRows(events);
        Path root = Path.of(URI.create(settings.paths().staging()));
        StagingReader staging = new StagingReader(root);

        // 1. Dies after the first file of the emitting batch became visible, before the commit marker.
        assertThatThrownBy(() -> run(settings, failOnce(CommitStep.FIRST_FILE_PLACED), new ArrayList<>()))
                .isInstanceOf(StreamingQueryException.class).hasStackTraceContaining("injected crash at FIRST_FILE_PLACED");
        assertThat(staging.files()).hasSize(1);
        assertThat(list(root.resolve("_batches")).stream().filter(n -> n.endsWith(".pending.json"))).hasSize(1);

        // 2. The restart redoes that batch from scratch, commits it, and dies before Spark records it.
        assertThatThrownBy(() -> run(settings, failOnce(CommitStep.COMMITTED), new ArrayList<>()))
                .isInstanceOf(StreamingQueryException.class).hasStackTraceContaining("injected crash at COMMITTED");
        assertThat(staging.rows()).containsExactlyElementsOf(expected);

        // 3. Spark replays the batch once more: the committer sees its marker and skips it.
        List<CommitOutcome> outcomes = new CopyOnWriteArrayList<>();
        run(settings, FaultInjector.NONE, outcomes);
        assertThat(outcomes).first().satisfies(o -> assertThat(o.skipped()).isTrue());
        assertThat(outcomes).allSatisfy(o -> assertThat(o.rows()).isZero());

        assertThat(staging.rows()).containsExactlyElementsOf(expected);
        List<String> files = staging.files();
        assertThat(files.stream().map(f -> f.substring(0, f.lastIndexOf('/'))).distinct()).hasSize(2);
        Map<String, Long> filesPerHour = files.stream()
                .collect(Collectors.groupingBy(f -> f.substring(0, f.lastIndexOf('/')), Collectors.counting()));
        assertThat(filesPerHour.values()).allMatch(n -> n <= 2).contains(2L);
        assertThat(list(root.resolve("_batches"))).noneMatch(n -> n.contains("pending"));
        assertThat(list(root.resolve("_tmp"))).isEmpty();
    }

    /** 15 devices x 2 metrics, an event every 100 s across 10:50-11:10 (two hours' partitions). */
    private static List<Event> events() {
        List<Event> events = new ArrayList<>();
        long start = Instant.parse("2025-11-24T10:50:00Z").toEpochMilli();
        for (int device = 1; device <= 15; device++) {
            for (int metric = 1; metric <= 2; metric++) {
                for (long t = start + device * 1000L; t < start + 20 * 60_000; t += 100_000) {
                    events.add(new Event(device, metric, t, device * 10 + metric + (t - start) / 100_000 * 0.5));
                }
            }
        }
        return events;
    }

    private static List<MeasurementRow> expectedRows(List<Event> events) {
        Map<String, List<Event>> byWindow = new TreeMap<>();
        for (Event e : events) {
            long windowStart = Math.floorDiv(e.timestamp(), 300_000L) * 300_000L;
            byWindow.computeIfAbsent(String.format("%d/%05d/%05d", windowStart, e.deviceId(), e.metricId()),
                    k -> new ArrayList<>()).add(e);
        }
        return byWindow.values().stream()
                .map(group -> MeasurementRow.of(Instant.ofEpochMilli(Math.floorDiv(group.get(0).timestamp(), 300_000L)
                                * 300_000L).toString(), 5, group.get(0).deviceId(), group.get(0).metricId(),
                        group.stream().mapToDouble(Event::value).toArray()))
                .sorted(Comparator.comparing(MeasurementRow::windowStart).thenComparing(MeasurementRow::deviceId)
                        .thenComparing(MeasurementRow::metricId))
                .toList();
    }

    private static FaultInjector failOnce(CommitStep at) {
        AtomicBoolean fired = new AtomicBoolean();
        return (step, batchId) -> {
            if (step == at && fired.compareAndSet(false, true)) {
                throw new IllegalStateException("injected crash at " + step + " of batch " + batchId);
            }
        };
    }

    private static void run(EtlSettings settings, FaultInjector faults, List<CommitOutcome> outcomes) throws Exception {
        StreamingQuery query = MeasurementsQuery.start(spark.session(), settings, Trigger.AvailableNow(), faults, outcomes::add);
        query.awaitTermination();
        assertThat(query.recentProgress()).as("batches ran").isNotEmpty();
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }
}
