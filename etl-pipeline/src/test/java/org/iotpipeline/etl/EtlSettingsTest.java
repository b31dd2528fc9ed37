package org.iotpipeline.etl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EtlSettingsTest {

    @Test
    void referenceConfHoldsTheDocumentedDefaults() {
        EtlSettings s = EtlSettings.from(ConfigFactory.defaultReference().resolve());

        assertThat(s.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(s.kafka().topic()).isEqualTo("iot_device_events");
        assertThat(s.kafka().heartbeatTopic()).isEqualTo("iot_device_events_heartbeats");
        assertThat(s.kafka().startingOffsets()).isEqualTo("earliest");
        assertThat(s.kafka().maxOffsetsPerTrigger()).isEqualTo(1_000_000);
        assertThat(s.window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.watermarkLateness()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.triggerInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.dedupe()).isTrue();
        assertThat(s.dedupeWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.horizon()).isEqualTo(new org.iotpipeline.model.EventHorizon(Duration.ofDays(7), Duration.ofMinutes(5)));
        assertThat(s.filesPerHour()).isEqualTo(1);
        assertThat(s.paths()).isEqualTo(new EtlSettings.Paths("data/staging/measurements", "data/warehouse/measurements",
                "data/live", "data/checkpoints/etl", "data/dead-letters"));
        assertThat(s.paths().measurementsCheckpoint()).isEqualTo("data/checkpoints/etl/measurements");
        assertThat(s.admin()).isEqualTo(new EtlSettings.Admin("127.0.0.1", 8081));
        assertThat(s.spark().master()).isEqualTo("local[*]");
        assertThat(s.spark().conf()).containsEntry("spark.sql.shuffle.partitions", "4")
                .containsEntry("spark.ui.enabled", "false");
    }

    @Test
    void sparkKeysMayBeQuotedOrNestedAndOnlySparkKeysAreAccepted() {
        EtlSettings s = EtlSettings.from(ConfigFactory.parseString(
                "etl-pipeline.spark.conf { \"spark.sql.shuffle.partitions\" = 8, spark.executor.memory = 2g }")
                .withFallback(ConfigFactory.defaultReference()).resolve());
        assertThat(s.spark().conf()).containsEntry("spark.sql.shuffle.partitions", "8")
                .containsEntry("spark.executor.memory", "2g");

        assertThatThrownBy(() -> EtlSettings.from(ConfigFactory.parseString("etl-pipeline.spark.conf { foo = 1 }")
                .withFallback(ConfigFactory.defaultReference()).resolve()))
                .hasMessageContaining("etl-pipeline.spark.conf.foo").hasMessageContaining("only spark.*");
    }

    @Test
    void kafkaPrefixedSourceOptionsAlsoConfigureOurOwnKafkaClients() {
        EtlSettings s = EtlSettings.from(ConfigFactory.parseString("etl-pipeline.kafka.source-options { "
                        + "\"kafka.security.protocol\" = SASL_SSL, failOnDataLoss = false }")
                .withFallback(ConfigFactory.defaultReference()).resolve());

        assertThat(s.kafka().clientProperties()).containsOnly(
                Map.entry("security.protocol", "SASL_SSL"), Map.entry("bootstrap.servers", "127.0.0.1:9092"));
    }

    @Test
    void invalidValuesAreRejectedNamingTheKey() {
        assertThatThrownBy(() -> load(Map.of("files-per-hour", 0)))
                .hasMessage("etl-pipeline.files-per-hour must be at least 1, got 0");
        assertThatThrownBy(() -> load(Map.of("window", "0 s")))
                .hasMessageContaining("etl-pipeline.window must be positive");
        assertThatThrownBy(() -> load(Map.of("kafka.heartbeat-topic", "iot_device_events")))
                .hasMessageContaining("etl-pipeline.kafka.heartbeat-topic must differ");
        assertThatThrownBy(() -> load(Map.of("admin.port", 70000)))
                .hasMessageContaining("etl-pipeline.admin.port");
    }

    private static EtlSettings load(Map<String, Object> overrides) {
        Map<String, Object> prefixed = new java.util.HashMap<>();
        overrides.forEach((k, v) -> prefixed.put(EtlSettings.ROOT + "." + k, v));
        return EtlSettings.from(ConfigFactory.parseMap(prefixed).withFallback(ConfigFactory.defaultReference()).resolve());
    }
}
