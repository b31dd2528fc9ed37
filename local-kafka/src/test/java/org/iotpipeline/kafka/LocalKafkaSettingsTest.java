package org.iotpipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.iotpipeline.config.ReferenceConfig;
import org.junit.jupiter.api.Test;

class LocalKafkaSettingsTest {

    @Test
    void everyDefault() {
        assertThat(LocalKafkaSettings.from(ReferenceConfig.defaults())).isEqualTo(new LocalKafkaSettings(
                new BrokerSettings("127.0.0.1", 9092, 9093, Path.of("data/kafka"), Map.of("log.retention.hours", "168")),
                "iot_device_events",
                4));
    }

    @Test
    void everyKeyOverridden() {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("local-kafka.host", "192.168.1.10");
        overrides.put("local-kafka.port", 19092);
        overrides.put("local-kafka.controller-port", 19093);
        overrides.put("local-kafka.data-dir", "/var/lib/iot/kafka");
        overrides.put("local-kafka.topic.name", "events");
        overrides.put("local-kafka.topic.partitions", 12);
        overrides.put("local-kafka.broker-properties.\"log.retention.hours\"", 24);

        assertThat(overrides.keySet()).as("every key of reference.conf, and only those")
                .containsExactlyInAnyOrderElementsOf(ReferenceConfig.keysUnder(LocalKafkaSettings.ROOT));
        assertThat(ReferenceConfig.unchanged(overrides)).as("overrides equal to the default").isEmpty();
        assertThat(LocalKafkaSettings.from(ReferenceConfig.with(overrides))).isEqualTo(new LocalKafkaSettings(
                new BrokerSettings("192.168.1.10", 19092, 19093, Path.of("/var/lib/iot/kafka"),
                        Map.of("log.retention.hours", "24")),
                "events",
                12));
    }

    @Test
    void brokerPropertiesMayBeQuotedOrNested() {
        Map<String, Object> overrides = Map.of("local-kafka.broker-properties.log.segment.bytes", 1048576);

        assertThat(LocalKafkaSettings.from(ReferenceConfig.with(overrides)).broker().overrides())
                .containsOnly(Map.entry("log.retention.hours", "168"), Map.entry("log.segment.bytes", "1048576"));
    }

    @Test
    void invalidValuesNameTheKey() {
        assertThatThrownBy(() -> settings("local-kafka.port", 0)).hasMessage("local-kafka.port must be in 1..65535, got 0");
        assertThatThrownBy(() -> settings("local-kafka.controller-port", 9092))
                .hasMessage("local-kafka.controller-port must differ from local-kafka.port, both are 9092");
        assertThatThrownBy(() -> settings("local-kafka.data-dir", "")).hasMessage("local-kafka.data-dir must not be empty");
        assertThatThrownBy(() -> settings("local-kafka.topic.partitions", 0))
                .hasMessage("local-kafka.topic.partitions must be at least 1, got 0");
        assertThatThrownBy(() -> new BrokerSettings("127.0.0.1", 1, 1, Path.of("x"), Map.of()))
                .hasMessage("port and controllerPort must differ, both are 1");
    }

    private static LocalKafkaSettings settings(String key, Object value) {
        return LocalKafkaSettings.from(ReferenceConfig.with(Map.of(key, value)));
    }
}
