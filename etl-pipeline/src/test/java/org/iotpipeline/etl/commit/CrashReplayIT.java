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
import java.util.Locale;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kills the measurements query at each step of the commit protocol (via the committer's fault
 * hook) and restarts it from its checkpoint with another {@code files-per-hour}, so the redone
 * batch writes other files than the attempt that died (and every attempt names its files
 * uniquely): whatever the dead attempt placed must be removed, or its rows would count twice.
 * Every window must end up exactly once, the open windows must carry over, and nothing of the
 * dead attempt may be left.
 */
class CrashReplayIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final EtlSparkExtension spark = new EtlSparkExtension();

    @ParameterizedTest
    @EnumSource(CommitStep.class)
    void aBatchThatDiedAtAnyStepEndsUpExactlyOnceAfterTheRestart(CommitStep step, @TempDir Path dir) throws Exception {
        String topic = "crash-" + step.name().toLowerCase(Locale.ROOT).replace('_', '-');
        kafka.broker().createTopic(topic, 2);
        TestSettings base = TestSettings.of(kafka.bootstrapServers(), topic, dir);
        EtlSettings oneFilePerHour = base.set("files-per-hour", 1).build();
        EtlSettings threeFilesPerHour = base.set("files-per-hour", 3).build();
        kafka.broker().createTopic(oneFilePerHour.kafka().heartbeatTopic(), 1);
        List<Event> events = events();
        Event closer = TestEvents.event(99, 1, "2025-11-24T12:00:00Z", 0.0); // final: every window above
        try (TestEvents producer = new TestEvents(kafka.bootstrapServers(), topic)) {
            producer.send(events);
            producer.send(List.of(closer));
        }
        List<MeasurementRow> expected = expectedRows(events);
        Path root = Path.of(URI.create(oneFilePerHour.paths().staging()));
        StagingReader staging = new StagingReader(root);

        // 1. Dies at the step, one file per hour.
        assertThatThrownBy(() -> run(oneFilePerHour, failOnce(step), new ArrayList<>()))
                .isInstanceOf(StreamingQueryException.class).hasStackTraceContaining("injected crash at " + step);
        boolean committed = step == CommitStep.COMMITTED;
        boolean placed = step != CommitStep.WRITTEN_TO_TEMP;
        assertThat(staging.files()).as("files of the dead attempt").hasSize(placed ? (step == CommitStep.FIRST_FILE_PLACED ? 1 : 2) : 0);
        assertThat(pendingLists(root)).as("the pending list, written before any file is placed").hasSize(1);

        // 2. The restart, three files per hour: redoes the batch (or, if it was committed, skips its replay).
        List<CommitOutcome> outcomes = new CopyOnWriteArrayList<>();
        run(threeFilesPerHour, FaultInjector.NONE, outcomes);
        assertThat(outcomes).first().satisfies(o -> assertThat(o.skipped()).isEqualTo(committed));

        assertThat(staging.rows()).containsExactlyElementsOf(expected);
        assertThat(staging.rawRowCount()).as("one row per window, nothing of the dead attempt left").isEqualTo(expected.size());
        Map<String, Long> filesPerHour = staging.files().stream()
                .collect(Collectors.groupingBy(f -> f.substring(0, f.lastIndexOf('/')), Collectors.counting()));
        assertThat(filesPerHour).hasSize(2);
        assertThat(filesPerHour.values()).allMatch(n -> n == (committed ? 1 : 3));
        assertThat(pendingLists(root)).isEmpty();
        assertThat(list(root.resolve("_tmp"))).isEmpty();
        // The window the watermark has not passed carried over as the open-window snapshot.
        CommitOutcome last = outcomes.get(outcomes.size() - 1);
        assertThat(StagingReader.rowsOf(parquetFiles(Path.of(URI.create(oneFilePerHour.paths().live())).resolve("measurements")
                .resolve(last.state().openWindows())))).containsExactly(MeasurementRow.of("2025-11-24T12:00:00Z", 5, 99, 1, 0.0));
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
            byWindow.computeIfAbsent(String.format(Locale.ROOT, "%d/%05d/%05d", windowStart, e.deviceId(), e.metricId()),
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

    private static List<String> pendingLists(Path root) throws IOException {
        return list(root.resolve("_batches")).stream().filter(n -> n.endsWith(".pending.json")).toList();
    }

    private static List<Path> parquetFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")
                    && !p.getFileName().toString().startsWith(".")).toList();
        }
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
