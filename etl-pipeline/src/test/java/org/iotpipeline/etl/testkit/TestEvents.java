package org.iotpipeline.etl.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;

/** Writes records to Kafka the way the gateway does (key = deviceId, value = canonical JSON) or raw. */
public final class TestEvents implements AutoCloseable {

    private static final EventCodec CODEC = EventCodec.withDefaults();

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public TestEvents(String bootstrapServers, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    public static Event event(int device, int metric, String isoTime, double value) {
        return new Event(device, metric, Instant.parse(isoTime).toEpochMilli(), value);
    }

    /** Sends and waits for every acknowledgement. */
    public void send(List<Event> events) {
        for (Event e : events) {
            sendRaw(Integer.toString(e.deviceId()), CODEC.encode(e));
        }
        producer.flush();
    }

    /** Sends one record as it is ({@code value} may be null: a tombstone) and waits for the acknowledgement. */
    public void sendRaw(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("sending to " + topic + " failed", e.getCause());
        }
    }

    public void sendRaw(String key, String value) {
        sendRaw(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close();
    }
}
