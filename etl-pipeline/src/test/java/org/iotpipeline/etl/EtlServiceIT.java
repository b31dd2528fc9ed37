package org.iotpipeline.etl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.iotpipeline.etl.testkit.TestEvents.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.iotpipeline.etl.commit.FaultInjector;
import org.iotpipeline.etl.testkit.EtlSparkExtension;
import org.iotpipeline.etl.testkit.MeasurementRow;
import org.iotpipeline.etl.testkit.StagingReader;
import org.iotpipeline.etl.testkit.TestEvents;
import org.iotpipeline.etl.testkit.TestSettings;
import org.iotpipeline.kafka.KafkaBrokerExtension;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.iotpipeline.store.StoreSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole service as EtlMain runs it (both queries on a processing-time trigger, the idle
 * heartbeat, the admin endpoint): a quiet source still gets its last windows written, and the
 * admin endpoint reports what happened.
 */
class EtlServiceIT {

    private static final Logger log = LoggerFactory.getLogger(EtlServiceIT.class);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration TRIGGER = Duration.ofMillis(500);
    /**
     * The documented bound is idle-timeout + idle-timeout/5 + 2 x (trigger + batch time), 3.4 s + 2
     * batch times here. Batch times are not ours to bound: on a shared 2-core machine at load 30 a
     * tiny batch took up to 15 s (and the windows appeared after 29 s).
     */
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(90);

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final EtlSparkExtension spark = new EtlSparkExtension();

    @Test
    void lastWindowsOfAQuietSourceReachStagingWithoutNewEventsAndTheAdminEndpointReportsIt(@TempDir Path dir)
            throws Exception {
        String topic = "quiet";
        kafka.broker().createTopic(topic, 2);
        EtlSettings settings = TestSettings.of(kafka.bootstrapServers(), topic, dir)
                .set("trigger-interval", TRIGGER.toMillis() + " ms")
                .set("dead-letters-trigger-interval", TRIGGER.toMillis() + " ms")
                .set("idle-timeout", IDLE_TIMEOUT.toMillis() + " ms")
                // Compaction as the service schedules it; the default grace keeps staging files in place.
                .set("compaction.enabled", true)
                .set("compaction.initial-delay", "500 ms")
                .set("compaction.interval", "1 s")
                .set("compaction.watermark-lag", "0 s")
                .build();
        StagingReader staging = new StagingReader(Path.of(URI.create(settings.paths().staging())));
        HttpClient http = HttpClient.newHttpClient();

        try (EtlService service = EtlService.start(spark.session(), settings, FaultInjector.NONE, Clock.systemUTC());
             TestEvents producer = new TestEvents(kafka.bootstrapServers(), topic)) {
            String admin = "http://127.0.0.1:" + service.adminPort();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(http, admin + "/health").statusCode() == 200);

            producer.send(List.of(
                    event(1, 1, "2025-11-24T10:50:10Z", 1.0),
                    event(1, 1, "2025-11-24T10:56:00Z", 2.0),
                    event(2, 3, "2025-11-24T10:59:59.999Z", 5.0)));
            producer.sendRaw("1", "{\"deviceId\":1}");
            Instant lastSent = Instant.now();

            // Event time stops at 10:59:59.999, so the watermark from events alone stays at 10:58:59.999:
            // the window [10:55, 11:00) closes only through the idle heartbeat.
            await().atMost(CLOSE_BOUND).pollInterval(Duration.ofMillis(200)).until(() -> staging.rows().size() == 3);
            log.info("Last windows reached staging {} ms after the last record", Duration.between(lastSent, Instant.now()).toMillis());
            assertThat(staging.rows()).containsExactly(
                    MeasurementRow.of("2025-11-24T10:50:00Z", 5, 1, 1, 1.0),
                    MeasurementRow.of("2025-11-24T10:55:00Z", 5, 1, 1, 2.0),
                    MeasurementRow.of("2025-11-24T10:55:00Z", 5, 2, 3, 5.0));
            // The heartbeat moved the watermark exactly to the end of the newest window, no further.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> service.tracker().watermark().equals(java.util.Optional.of(Instant.parse("2025-11-24T11:00:00Z"))));
            assertThat(service.tracker().totals().heartbeatsSent()).isPositive();

            // A backfill resuming after the heartbeat with events after that window end is still on time
            // (Spark counts an event as late when it is at or before the watermark).
            producer.send(List.of(event(1, 1, "2025-11-24T11:01:00Z", 7.0)));
            await().atMost(CLOSE_BOUND).pollInterval(Duration.ofMillis(200)).until(() -> staging.rows().size() == 4);
            assertThat(staging.rows()).last().isEqualTo(MeasurementRow.of("2025-11-24T11:00:00Z", 5, 1, 1, 7.0));
            assertThat(service.tracker().totals().droppedLate()).isZero();

            await().atMost(Duration.ofSeconds(30)).until(() -> service.tracker().totals().deadLetters() == 1);
            JsonNode status = new ObjectMapper().readTree(get(http, admin + "/status").body());
            assertThat(status.get("watermark").asText()).isEqualTo("2025-11-24T11:05:00Z");
            assertThat(status.get("totals").get("deadLetters").asLong()).isEqualTo(1);
            assertThat(status.get("totals").get("rowsWritten").asLong()).isEqualTo(4);
            assertThat(status.get("totals").get("recordsRead").asLong()).isEqualTo(5);
            assertThat(status.get("queries")).extracting(q -> q.get("name").asText())
                    .containsExactlyInAnyOrder("measurements", "dead-letters");
            JsonNode measurements = status.get("queries").findParents("name").stream()
                    .filter(q -> q.get("name").asText().equals("measurements")).findFirst().orElseThrow();
            assertThat(measurements.get("active").asBoolean()).isTrue();
            assertThat(measurements.get("kafkaLag").asLong()).isZero();
            assertThat(measurements.get("lastBatchId").asLong()).isPositive();

            HttpResponse<String> metrics = get(http, admin + "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(metrics.body())
                    .contains("etl_dead_letters_total 1.0")
                    .contains("etl_rows_written_total 4.0")
                    .contains("etl_kafka_lag_offsets{query=\"measurements\"} 0.0")
                    .containsPattern("etl_heartbeats_sent_total [1-9]")
                    .contains("etl_watermark_seconds 1.7639823E9");

            // The scheduler compacted hour 10 once the watermark passed 11:00; hour 11 is still open.
            await().atMost(CLOSE_BOUND).until(() -> service.compactionReport().hoursCompacted() >= 1);
            MeasurementsStore store = settings.paths().store().open(spark.session().sparkContext().hadoopConfiguration());
            assertThat(store.currentManifest(new HourPartition(2025, 11, 24, 10)))
                    .hasValueSatisfying(manifest -> assertThat(manifest.rowCount()).isEqualTo(3));
            assertThat(store.currentManifest(new HourPartition(2025, 11, 24, 11))).isEmpty();
            StoreSnapshot snapshot = store.snapshot();
            assertThat(snapshot.hours()).containsExactly(new HourPartition(2025, 11, 24, 10), new HourPartition(2025, 11, 24, 11));
            assertThat(snapshot.stagingFiles()).allMatch(file -> file.toString().contains("/hour=11/"));
            JsonNode compaction = new ObjectMapper().readTree(get(http, admin + "/status").body()).get("compaction");
            assertThat(compaction.get("hoursCompacted").asLong()).isPositive();
            assertThat(compaction.get("failures").asLong()).isZero();
            assertThat(get(http, admin + "/metrics").body()).containsPattern("compaction_hours_compacted_total [1-9]");

            HttpResponse<String> missing = get(http, admin + "/nope");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
