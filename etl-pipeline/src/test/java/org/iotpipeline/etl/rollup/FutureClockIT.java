package org.iotpipeline.etl.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.iotpipeline.etl.EtlSettings;
import org.iotpipeline.etl.commit.CommitOutcome;
import org.iotpipeline.etl.commit.FaultInjector;
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
 * No device moves time for the others: a device whose clock runs four minutes ahead (inside
 * max-future-skew, so the gateway accepts it) is stored in its own window, but the watermark
 * follows the moment its record reached Kafka, so honest devices stamping "now" stay on time —
 * none of their events is late, none is lost.
 */
class FutureClockIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final EtlSparkExtension spark = new EtlSparkExtension();

    @Test
    void aDeviceStampingAheadDoesNotMakeHonestDevicesLate(@TempDir Path dir) throws Exception {
        String topic = "future-clock";
        kafka.broker().createTopic(topic, 2);
        // One-minute windows and ten seconds of lateness: a watermark moved four minutes ahead would
        // make every honest window below final before its events arrive.
        EtlSettings settings = TestSettings.of(kafka.bootstrapServers(), topic, dir)
                .set("window", "1 minute").set("watermark-lateness", "10 seconds").build();
        kafka.broker().createTopic(settings.kafka().heartbeatTopic(), 1);
        List<CommitOutcome> outcomes = new CopyOnWriteArrayList<>();
        Event ahead = new Event(500, 0, System.currentTimeMillis() + 4 * 60_000, 9.0);
        List<Event> honest = new ArrayList<>();

        try (TestEvents producer = new TestEvents(kafka.bootstrapServers(), topic)) {
            producer.send(List.of(ahead));
            run(settings, outcomes);
            long now = System.currentTimeMillis();
            for (int device = 1; device <= 20; device++) {
                for (int i = 0; i < 3; i++) {
                    honest.add(new Event(device, 0, now - i * 1_000L, device + i / 16.0));
                }
            }
            producer.send(honest);
            outcomes.clear();
            run(settings, outcomes);
        }

        assertThat(outcomes).isNotEmpty();
        assertThat(outcomes.stream().mapToLong(CommitOutcome::lateEvents).sum()).as("honest events that went late").isZero();
        List<Event> all = new ArrayList<>(honest);
        all.add(ahead);
        List<MeasurementRow> stored = new ArrayList<>(new StagingReader(Path.of(URI.create(settings.paths().staging()))).rows());
        stored.addAll(StagingReader.rowsOf(parquetFiles(Path.of(URI.create(settings.paths().live())).resolve("measurements")
                .resolve(outcomes.get(outcomes.size() - 1).state().openWindows()))));
        assertThat(stored).containsExactlyInAnyOrderElementsOf(LateEventsIT.expectedRows(all, 60_000));
    }

    private static void run(EtlSettings settings, List<CommitOutcome> outcomes) throws Exception {
        StreamingQuery query = MeasurementsQuery.start(spark.session(), settings, Trigger.AvailableNow(), FaultInjector.NONE,
                outcomes::add);
        query.awaitTermination();
        assertThat(query.exception().isEmpty()).as("query failed").isTrue();
    }

    private static List<Path> parquetFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")
                    && !p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
