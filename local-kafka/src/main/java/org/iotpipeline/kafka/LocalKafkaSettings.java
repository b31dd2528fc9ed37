package org.iotpipeline.kafka;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code local-kafka} section of the configuration, read once at start-up. Every key and its
 * default is documented in {@code reference.conf}.
 */
record LocalKafkaSettings(BrokerSettings broker, String topic, int topicPartitions) {

    static LocalKafkaSettings from(Config root) {
        Config config = root.getConfig("local-kafka");
        Map<String, String> overrides = new HashMap<>();
        config.getConfig("broker-properties").entrySet()
                .forEach(entry -> overrides.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped())));
        BrokerSettings broker = new BrokerSettings(
                config.getString("host"),
                config.getInt("port"),
                config.getInt("controller-port"),
                Path.of(config.getString("data-dir")),
                overrides);
        int partitions = config.getInt("topic.partitions");
        if (partitions < 1) {
            throw new IllegalArgumentException("local-kafka.topic.partitions must be at least 1, got " + partitions);
        }
        return new LocalKafkaSettings(broker, config.getString("topic.name"), partitions);
    }
}
