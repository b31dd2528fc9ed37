package org.iotpipeline.etl.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.iotpipeline.etl.testkit.TestEvents.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.iotpipeline.etl.EtlSettings;
import org.iotpipeline.etl.commit.CommitOutcome;
import org.iotpipeline.etl.commit.FaultInjector;
import org.iotpipeline.etl.progress.ProgressStore;
import org.iotpipeline.etl.progress.StreamProgressTracker;
import org.iotpipeline.etl.testkit.EtlSparkExtension;
import org.iotpipeline.etl.testkit.MeasurementRow;
import org.iotpipeline.etl.testkit.StagingReader;
import org.iotpipeline.etl.testkit.TestEvents;
import org.iotpipeline.etl.testkit.TestSettings;
import org.iotpipeline.kafka.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measurements and dead-letter queries against a real broker and a local SparkSession, each run
 * with {@code Trigger.AvailableNow}; the staging table is read back with DuckDB.
 */
class MeasurementsQueryIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final EtlSparkExtension spark = new EtlSparkExtension();

    @Test
    void knownEventsOverSeveralWindowsAndTwoHoursBecomeExactRowsInHourPartitions(@TempDir Path dir) throws Exception {
        EtlSettings settings = settings("known", dir);
        try (TestEvents producer = new TestEvents(kafka.bootstrapServers(), settings.kafka().topic())) {
            producer.send(List.of(
                    event(1, 1, "2025-11-24T10:50:10Z", 1.0),
                    event(1, 1, "2025-11-24T10:52:00Z", 3.0),
                    event(1, 1, "2025-11-24T10:54:59.999Z", 2.0),
                    event(1, 1, "2025-11-24T10:55:00Z", 10.0),
                    event(1, 2, "2025-11-24T10:58:30Z", -5.5),
                    event(1, 2, "2025-11-24T10:59:00Z", 4.5),
                    event(2, 1, "2025-11-24T11:00:00Z", 7.0),
                    event(2, 1, "2025-11-24T11:03:00Z", 8.0),
                    event(2, 1, "2025-11-24T11:05:30Z", 1.25),
                    // Moves the watermark to 11:19 (lateness 1 minute): every window above closes; its own stays open.
                    event(9, 9, "2025-11-24T11:20:00Z", 0.0)));
        }
        List<CommitOutcome> outcomes = new CopyOnWriteArrayList<>();

        runToEnd(MeasurementsQuery.start(spark.session(), settings, Trigger.AvailableNow(), FaultInjector.NONE, outcomes::add));

        StagingReader staging = new StagingReader(Path.of(java.net.URI.create(settings.paths().staging())));
        assertThat(staging.rows()).containsExactly(
                MeasurementRow.of("2025-11-24T10:50:00Z", 5, 1, 1, 1.0, 3.0, 2.0),
                MeasurementRow.of("2025-11-24T10:55:00Z", 5, 1, 1, 10.0),
                MeasurementRow.of("2025-11-24T10:55:00Z", 5, 1, 2, -5.5, 4.5),
                MeasurementRow.of("2025-11-24T11:00:00Z", 5, 2, 1, 7.0, 8.0),
                MeasurementRow.of("2025-11-24T11:05:00Z", 5, 2, 1, 1.25));

        List<String> files = staging.files();
        assertThat(files).allMatch(f -> f.matches("year=2025/month=11/day=24/hour=1[01]/part-b\\d{9}-[0-9a-f]{8}-\\d{5}\\.parquet"), "final names");
        assertThat(files).anyMatch(f -> f.contains("/hour=10/")).anyMatch(f -> f.contains("/hour=11/"));
        // Standard UTC-adjusted microsecond timestamps (not INT96), as a non-Spark reader sees them.
        assertThat(staging.columnType(files.get(0), "window_start")).isEqualTo("TIMESTAMP WITH TIME ZONE");
        assertThat(staging.parquetType(files.get(0), "window_start"))
                .startsWith("INT64 TimestampType(isAdjustedToUTC=1").contains("MICROS=MicroSeconds()");
        assertThat(staging.columnType(files.get(0), "event_count")).isEqualTo("BIGINT");
        assertThat(staging.columnType(files.get(0), "device_id")).isEqualTo("INTEGER");

        // Every batch committed with a marker, no pending list or temporary directory left behind.
        Path root = Path.of(java.net.URI.create(settings.paths().staging()));
        long committed = outcomes.stream().filter(o -> !o.skipped()).count();
        assertThat(committed).isPositive();
        assertThat(list(root.resolve("_batches"))).hasSize((int) committed).allMatch(n -> n.matches("\\d{9}\\.json"));
        assertThat(list(root.resolve("_tmp"))).isEmpty();
        assertThat(outcomes.stream().mapToLong(CommitOutcome::rows).sum()).isEqualTo(5);

        // The window that is not final yet is the open-window snapshot the last marker names.
        CommitOutcome last = outcomes.get(outcomes.size() - 1);
        assertThat(last.state().watermarkMs()).isEqualTo(Instant.parse("2025-11-24T11:19:00Z").toEpochMilli());
        assertThat(StagingReader.rowsOf(parquetFiles(Path.of(java.net.URI.create(settings.paths().live())).resolve("measurements")
                .resolve(last.state().openWindows())))).containsExactly(MeasurementRow.of("2025-11-24T11:20:00Z", 5, 9, 9, 0.0));
    }

    @Test
    void duplicatesCountOnceLateEventsAreStoredAndMalformedRecordsBecomeDeadLetters(@TempDir Path dir) throws Exception {
        EtlSettings settings = settings("mixed", dir);
        StreamProgressTracker tracker = new StreamProgressTracker(settings.kafka().topic(),
                new ProgressStore(settings.paths().progressFile(), spark.session().sparkContext().hadoopConfiguration()),
                Clock.systemUTC());
        spark.session().streams().addListener(tracker);
        long ahead = Instant.now().plus(Duration.ofMinutes(4)).toEpochMilli();
        List<byte[]> malformed = List.of(
                bytes("not json"),
                bytes("{\"deviceId\":\"17\",\"metricId\":3,\"timestamp\":1764000000000,\"value\":1}"),
                bytes("{\"deviceId\":17,\"metricId\":3.5,\"timestamp\":1764000000000,\"value\":1}"),
                bytes("{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000,\"value\":NaN}"),
                bytes("{\"deviceId\":2147483648,\"metricId\":3,\"timestamp\":1764000000000,\"value\":1}"),
                bytes("{\"deviceId\":17,\"metricId\":3,\"timestamp\":1764000000000}"));
        try (TestEvents producer = new TestEvents(kafka.bootstrapServers(), settings.kafka().topic())) {
            producer.send(List.of(
                    event(1, 1, "2025-11-24T10:50:10Z", 1.0),
                    event(1, 1, "2025-11-24T10:50:10Z", 1.0), // client retries of the same event
                    event(1, 1, "2025-11-24T10:50:10Z", 1.0),
                    event(1, 1, "2025-11-24T10:51:00Z", 2.0),
                    // Four minutes ahead of its Kafka timestamp: inside max-future-skew, stored in its own
                    // (open) window, and it moves the watermark only to its Kafka timestamp - 1 minute.
                    new org.iotpipeline.model.Event(5, 1, ahead, 4.0)));
            for (byte[] value : malformed) {
                producer.sendRaw("17", value);
            }
            producer.sendRaw("17", (byte[]) null);
            try {
                runToEnd(MeasurementsQuery.start(spark.session(), settings, Trigger.AvailableNow(), FaultInjector.NONE,
                        tracker::onCommit));
                assertThat(tracker.watermark()).hasValueSatisfying(w -> assertThat(w).isBefore(Instant.now()));
                StreamingQuery secondRun;
                // Arrive after the watermark passed their windows: stored as late rows, folded into their windows.
                producer.send(List.of(event(1, 1, "2025-11-24T10:52:00Z", 100.0), event(3, 1, "2025-11-24T10:40:00Z", 1.0),
                        event(1, 1, "2025-11-24T10:51:00Z", 2.0))); // and a late retry of an event already counted
                secondRun = MeasurementsQuery.start(spark.session(), settings, Trigger.AvailableNow(), FaultInjector.NONE,
                        tracker::onCommit);
                runToEnd(secondRun);
                long lastBatch = secondRun.lastProgress().batchId();
                await().atMost(Duration.ofSeconds(30)).until(() -> tracker.query(MeasurementsQuery.NAME)
                        .map(q -> q.lastBatchId() == lastBatch).orElse(false));
            } finally {
                spark.session().streams().removeListener(tracker);
            }
            runToEnd(DeadLettersQuery.start(spark.session(), settings, Trigger.AvailableNow(), FaultInjector.NONE, o -> { }));
        }

        StagingReader staging = new StagingReader(Path.of(java.net.URI.create(settings.paths().staging())));
        assertThat(staging.rows()).containsExactly(
                MeasurementRow.of("2025-11-24T10:40:00Z", 5, 3, 1, 1.0),
                MeasurementRow.of("2025-11-24T10:50:00Z", 5, 1, 1, 1.0, 2.0, 100.0));
        assertThat(staging.rawRowCount()).as("the final row and the late rows are separate until compaction").isEqualTo(3);
        assertThat(tracker.totals().duplicatesDropped()).isEqualTo(3);
        assertThat(tracker.totals().lateEvents()).isEqualTo(2);
        assertThat(tracker.totals().droppedLate()).isZero();
        assertThat(tracker.totals().invalidRecords()).isEqualTo(malformed.size() + 1);
        assertThat(tracker.totals().recordsRead()).isEqualTo(5 + malformed.size() + 1 + 3);
        assertThat(tracker.maxEventTimeMs()).hasValue(ahead);

        List<JsonNode> deadLetters = readDeadLetters(Path.of(java.net.URI.create(settings.paths().deadLetters())));
        assertThat(deadLetters).hasSize(malformed.size() + 1);
        for (int i = 0; i < malformed.size(); i++) {
            JsonNode letter = deadLetters.get(i);
            assertThat(Base64.getDecoder().decode(letter.get("payload_base64").asText())).isEqualTo(malformed.get(i));
            assertThat(letter.get("payload").asText()).isEqualTo(new String(malformed.get(i), StandardCharsets.UTF_8));
            assertThat(letter.get("reason").asText()).isEqualTo(EXPECTED_REASONS.get(i));
            assertThat(letter.get("topic").asText()).isEqualTo(settings.kafka().topic());
            assertThat(letter.get("key").asText()).isEqualTo("17");
            assertThat(letter.has("partition") && letter.has("kafka_timestamp") && letter.has("batch_id")).isTrue();
        }
        JsonNode tombstone = deadLetters.get(malformed.size());
        assertThat(tombstone.get("reason").asText()).contains("no value");
        assertThat(deadLetters).extracting(l -> l.get("offset").asLong()).doesNotHaveDuplicates();
    }

    /** The reasons of the malformed records above, written out (not computed with the codec under test). */
    private static final List<String> EXPECTED_REASONS = List.of(
            "malformed JSON at line 1 column 1: Unrecognized token 'not': was expecting (JSON String, Number (or 'NaN'/'+INF'/'-INF'), Array, Object or token 'null', 'true' or 'false')",
            "field 'deviceId': must be a JSON integer in 0..2147483647, got a string (strings are not converted to numbers)",
            "field 'metricId': must be a JSON integer in 0..2147483647, got the fraction 3.5",
            "field 'value': must be a finite number, got NaN",
            "field 'deviceId': must be in 0..2147483647, got 2147483648",
            "field 'value': is required");

    @Test
    void eventsOutsideTheHorizonOfTheirKafkaTimestampAreDeadLettersWithTheReason(@TempDir Path dir) throws Exception {
        String topic = "horizon";
        kafka.broker().createTopic(topic, 1);
        EtlSettings settings = TestSettings.of(kafka.bootstrapServers(), topic, dir)
                .setRoot("iot.events.max-event-age", "7d").setRoot("iot.events.max-future-skew", "5m").build();
        kafka.broker().createTopic(settings.kafka().heartbeatTopic(), 1);
        long now = System.currentTimeMillis();
        List<org.iotpipeline.model.Event> inside = List.of(
                new org.iotpipeline.model.Event(1, 1, now - Duration.ofDays(6).toMillis(), 1.0),
                new org.iotpipeline.model.Event(1, 1, now + Duration.ofMinutes(4).toMillis(), 2.0));
        List<org.iotpipeline.model.Event> outside = List.of(
                new org.iotpipeline.model.Event(2, 1, now - Duration.ofDays(8).toMillis(), 3.0),
                new org.iotpipeline.model.Event(2, 1, now + Duration.ofHours(1).toMillis(), 4.0),
                new org.iotpipeline.model.Event(2, 1, 0, 5.0));
        try (TestEvents producer = new TestEvents(kafka.bootstrapServers(), topic)) {
            producer.send(inside);
            producer.send(outside);
        }
        List<CommitOutcome> outcomes = new CopyOnWriteArrayList<>();
        runToEnd(MeasurementsQuery.start(spark.session(), settings, Trigger.AvailableNow(), FaultInjector.NONE, outcomes::add));
        runToEnd(DeadLettersQuery.start(spark.session(), settings, Trigger.AvailableNow(), FaultInjector.NONE, o -> { }));

        List<JsonNode> deadLetters = readDeadLetters(Path.of(java.net.URI.create(settings.paths().deadLetters())));
        assertThat(deadLetters).extracting(l -> l.get("reason").asText()).satisfiesExactly(
                r -> assertThat(r).startsWith("field 'timestamp': is ").contains("ms older than the record's Kafka timestamp")
                        .contains("max-event-age PT168H"),
                r -> assertThat(r).startsWith("field 'timestamp': is ").contains("ms ahead of the record's Kafka timestamp")
                        .contains("max-future-skew PT5M"),
                r -> assertThat(r).contains("older than the record's Kafka timestamp"));
        // Both events inside are stored: one in a (long) final window, one in an open window.
        StagingReader staging = new StagingReader(Path.of(java.net.URI.create(settings.paths().staging())));
        List<MeasurementRow> stored = new ArrayList<>(staging.rows());
        CommitOutcome last = outcomes.get(outcomes.size() - 1);
        stored.addAll(StagingReader.rowsOf(parquetFiles(Path.of(java.net.URI.create(settings.paths().live())).resolve("measurements")
                .resolve(last.state().openWindows()))));
        assertThat(stored).extracting(MeasurementRow::deviceId, MeasurementRow::valueSum)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(1, 1.0), org.assertj.core.groups.Tuple.tuple(1, 2.0));
    }

    /** Every dead letter, in Kafka offset order. */
    private static List<JsonNode> readDeadLetters(Path root) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> letters = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path file : paths.filter(p -> p.toString().matches(".*/date=\\d{4}-\\d{2}-\\d{2}/part-b\\d{9}-[0-9a-f]{8}-\\d{5}\\.json"))
                    .toList()) {
                for (String line : Files.readAllLines(file)) {
                    letters.add(json.readTree(line));
                }
            }
        }
        letters.sort((a, b) -> Long.compare(a.get("offset").asLong(), b.get("offset").asLong()));
        return letters;
    }

    private EtlSettings settings(String topic, Path dir) {
        kafka.broker().createTopic(topic, 2);
        EtlSettings settings = TestSettings.of(kafka.bootstrapServers(), topic, dir).build();
        kafka.broker().createTopic(settings.kafka().heartbeatTopic(), 1);
        return settings;
    }

    private static void runToEnd(StreamingQuery query) throws Exception {
        query.awaitTermination();
        assertThat(query.exception().isEmpty()).as("query failed").isTrue();
        assertThat(query.recentProgress()).as("batches ran").isNotEmpty();
    }

    /** The Parquet data files directly in a directory (a live-area snapshot). */
    private static List<Path> parquetFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")
                    && !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().startsWith("_")).toList();
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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
