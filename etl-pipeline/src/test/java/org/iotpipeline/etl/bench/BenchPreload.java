package org.iotpipeline.etl.bench;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;

/**
 * Benchmark helper: writes N events to a new topic as the gateway would (key = deviceId, value =
 * canonical JSON), like a backfill: 1000 devices x 4 metrics, one reading every 10 s of event time
 * from 2025-11-24T00:00Z, values a per-device sine plus seeded noise.
 *
 * <p>Usage: {@code BenchPreload <bootstrap> <topic> <events> <partitions>}
 */
public final class BenchPreload {

    static final int DEVICES = 1000;
    static final int METRICS = 4;
    static final long START_MS = 1_763_942_400_000L; // 2025-11-24T00:00:00Z
    static final long STEP_MS = 10_000;

    private BenchPreload() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        long events = Long.parseLong(args[2]);
        int partitions = Integer.parseInt(args[3]);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                    .all().get(60, TimeUnit.SECONDS);
        }
        EventCodec codec = EventCodec.withDefaults();
        SplittableRandom random = new SplittableRandom(42);
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            long sent = 0;
            for (long step = 0; sent < events; step++) {
                for (int device = 0; device < DEVICES && sent < events; device++) {
                    byte[] key = Integer.toString(device).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    for (int metric = 0; metric < METRICS && sent < events; metric++) {
                        long t = START_MS + step * STEP_MS + device;
                        double value = Math.round((20 + 5 * Math.sin((step + device) / 30.0) + random.nextGaussian()) * 100)
                                / 100.0;
                        producer.send(new ProducerRecord<>(topic, key, codec.encode(new Event(device, metric, t, value))));
                        sent++;
                    }
                }
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("preloaded %d events into %s (%d partitions) in %.1f s (%.0f events/s)%n", events, topic,
                partitions, seconds, events / seconds);
    }
}
