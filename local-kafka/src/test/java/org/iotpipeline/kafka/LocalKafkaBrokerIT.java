package org.iotpipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LocalKafkaBrokerIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @Test
    void roundTripsRecordsWithTheirKeys() throws Exception {
        String topic = "round-trip";
        assertThat(kafka.broker().createTopic(topic, 3)).isTrue();
        assertThat(kafka.broker().createTopic(topic, 3)).as("second create is a no-op").isFalse();

        produce(topic, List.of("17", "18"), List.of("{\"a\":1}", "{\"a\":2}"));

        assertThat(consumeAll(topic, 2)).extracting(r -> r.key() + "=" + r.value())
                .containsExactlyInAnyOrder("17={\"a\":1}", "18={\"a\":2}");
    }

    @Test
    void recordsSurviveABrokerRestart() throws Exception {
        String topic = "durable";
        kafka.broker().createTopic(topic, 1);
        produce(topic, List.of("1", "2", "3"), List.of("one", "two", "three"));

        kafka.broker().stop();
        assertThat(kafka.broker().isRunning()).isFalse();
        kafka.broker().restart();

        assertThat(kafka.broker().topicNames()).contains(topic);
        assertThat(consumeAll(topic, 3)).extracting(ConsumerRecord::value).containsExactly("one", "two", "three");
    }

    private static void produce(String topic, List<String> keys, List<String> values) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < keys.size(); i++) {
                producer.send(new ProducerRecord<>(topic, keys.get(i), values.get(i))).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static List<ConsumerRecord<String, String>> consumeAll(String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
