package org.iotpipeline.kafka;

import com.typesafe.config.Config;
import java.util.Objects;
import org.iotpipeline.config.ConfigSection;
import org.iotpipeline.config.SettingChecks;

/**
 * The {@code local-kafka} section of the configuration, read once at start-up. Every key and its
 * default is documented in {@code reference.conf}.
 *
 * @param broker          where and how the broker runs
 * @param topic           the events topic, created on start if missing
 * @param topicPartitions its partitions when it is created
 */
record LocalKafkaSettings(BrokerSettings broker, String topic, int topicPartitions) {

    static final String ROOT = "local-kafka";

    LocalKafkaSettings {
        Objects.requireNonNull(broker, "broker is null");
        SettingChecks.text(ROOT + ".topic.name", topic);
        SettingChecks.atLeast(ROOT + ".topic.partitions", topicPartitions, 1);
    }

    static LocalKafkaSettings from(Config root) {
        ConfigSection config = ConfigSection.of(root, ROOT);
        int port = config.port("port");
        int controllerPort = config.port("controller-port");
        if (controllerPort == port) {
            throw config.invalid("controller-port", "must differ from " + config.key("port") + ", both are " + port);
        }
        BrokerSettings broker = new BrokerSettings(
                config.text("host"),
                port,
                controllerPort,
                config.nonEmptyPath("data-dir"),
                config.stringMap("broker-properties"));
        return new LocalKafkaSettings(broker, config.getString("topic.name"), config.getInt("topic.partitions"));
    }
}
