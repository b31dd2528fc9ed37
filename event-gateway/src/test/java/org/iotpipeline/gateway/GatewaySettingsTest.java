package org.iotpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.iotpipeline.config.ReferenceConfig;
import org.iotpipeline.model.EventHorizon;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

    static GatewaySettings parse(String overrides) {
        return GatewaySettings.from(ConfigFactory.parseString(overrides).withFallback(ReferenceConfig.defaults()).resolve());
    }

    @Test
    void everyDefault() {
        assertThat(parse("")).isEqualTo(new GatewaySettings(
                "127.0.0.1",
                8080,
                1024 * 1024,
                10_000,
                50_000,
                1024,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                100,
                new EventHorizon(Duration.ofDays(7), Duration.ofMinutes(5)),
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                Duration.ofSeconds(15),
                false,
                new GatewaySettings.Kafka("127.0.0.1:9092", "iot_device_events", Duration.ofSeconds(10),
                        Duration.ofSeconds(2), Map.of(
                                "acks", "all",
                                "enable.idempotence", "true",
                                "linger.ms", "1",
                                "batch.size", "65536",
                                "compression.type", "lz4",
                                "max.block.ms", "2000",
                                "request.timeout.ms", "4000",
                                "delivery.timeout.ms", "9000",
                                "buffer.memory", "33554432")),
                new GatewaySettings.Auth(false, Path.of("config/gateway-keys"), Duration.ofSeconds(5), false),
                new GatewaySettings.Tls(false, Path.of(""), "")));
    }

    @Test
    void everyKeyOverridden() {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("event-gateway.host", "0.0.0.0");
        overrides.put("event-gateway.port", 9443);
        overrides.put("event-gateway.max-body-size", "2m");
        overrides.put("event-gateway.max-events-per-request", 500);
        overrides.put("event-gateway.max-in-flight-events", 2000);
        overrides.put("event-gateway.max-connections", 64);
        overrides.put("event-gateway.body-read-timeout", "4s");
        overrides.put("event-gateway.request-header-timeout", "3s");
        overrides.put("event-gateway.max-reported-violations", 7);
        overrides.put("event-gateway.retry-after", "5s");
        overrides.put("event-gateway.ready-cache-ttl", "0s");
        overrides.put("event-gateway.shutdown-drain-timeout", "30s");
        overrides.put("event-gateway.benchmark-route", "on");
        overrides.put("event-gateway.auth.enabled", "on");
        overrides.put("event-gateway.auth.keys-file", "/etc/iot/keys");
        overrides.put("event-gateway.auth.reload-interval", "1m");
        overrides.put("event-gateway.auth.allow-open-access", "on");
        overrides.put("event-gateway.tls.enabled", "on");
        overrides.put("event-gateway.tls.key-store", "/etc/iot/gw.p12");
        overrides.put("event-gateway.tls.key-store-password", "pw");
        overrides.put("event-gateway.kafka.bootstrap-servers", "kafka-1:9092,kafka-2:9092");
        overrides.put("event-gateway.kafka.topic", "events");
        overrides.put("event-gateway.kafka.send-timeout", "7s");
        overrides.put("event-gateway.kafka.ready-timeout", "1s");
        overrides.put("event-gateway.kafka.producer.acks", "-1");
        overrides.put("event-gateway.kafka.producer.enable.idempotence", "true");
        overrides.put("event-gateway.kafka.producer.linger.ms", 5);
        overrides.put("event-gateway.kafka.producer.batch.size", 16384);
        overrides.put("event-gateway.kafka.producer.compression.type", "zstd");
        overrides.put("event-gateway.kafka.producer.max.block.ms", 1000);
        overrides.put("event-gateway.kafka.producer.request.timeout.ms", 3000);
        overrides.put("event-gateway.kafka.producer.delivery.timeout.ms", 6000);
        overrides.put("event-gateway.kafka.producer.buffer.memory", 67108864);
        overrides.put("iot.events.max-event-age", "2d");
        overrides.put("iot.events.max-future-skew", "1m");

        assertThat(overrides.keySet()).as("every key of reference.conf, and only those")
                .containsExactlyInAnyOrderElementsOf(ReferenceConfig.keysUnder(GatewaySettings.ROOT, "iot.events"));
        assertThat(ReferenceConfig.unchanged(overrides)).as("overrides equal to the default (the only value accepted)")
                .containsExactly("event-gateway.kafka.producer.enable.idempotence");
        assertThat(GatewaySettings.from(ReferenceConfig.with(overrides))).isEqualTo(new GatewaySettings(
                "0.0.0.0",
                9443,
                2 * 1024 * 1024,
                500,
                2000,
                64,
                Duration.ofSeconds(4),
                Duration.ofSeconds(3),
                7,
                new EventHorizon(Duration.ofDays(2), Duration.ofMinutes(1)),
                Duration.ofSeconds(5),
                Duration.ZERO,
                Duration.ofSeconds(30),
                true,
                new GatewaySettings.Kafka("kafka-1:9092,kafka-2:9092", "events", Duration.ofSeconds(7),
                        Duration.ofSeconds(1), Map.of(
                                "acks", "-1",
                                "enable.idempotence", "true",
                                "linger.ms", "5",
                                "batch.size", "16384",
                                "compression.type", "zstd",
                                "max.block.ms", "1000",
                                "request.timeout.ms", "3000",
                                "delivery.timeout.ms", "6000",
                                "buffer.memory", "67108864")),
                new GatewaySettings.Auth(true, Path.of("/etc/iot/keys"), Duration.ofMinutes(1), true),
                new GatewaySettings.Tls(true, Path.of("/etc/iot/gw.p12"), "pw")));
    }

    @Test
    void theDefaultProducerGivesUpBeforeTheClientIsTold503() {
        GatewaySettings.Kafka kafka = parse("").kafka();

        assertThat(kafka.producerMillis("delivery.timeout.ms", 0)).isLessThan(kafka.sendTimeout().toMillis());
    }

    @Test
    void producerKeysMayBeQuotedOrNested() {
        GatewaySettings settings = parse("""
                event-gateway.kafka.producer { "max.request.size" = 2097152, compression.type = zstd }
                """);

        assertThat(settings.kafka().producer())
                .containsEntry("max.request.size", "2097152")
                .containsEntry("compression.type", "zstd");
    }

    @Test
    void refusesProducerSettingsThatBreakThe202Promise() {
        assertThatThrownBy(() -> parse("event-gateway.kafka.producer.acks = 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acks must be all");
        assertThatThrownBy(() -> parse("event-gateway.kafka.producer.enable.idempotence = false"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idempotence");
    }

    @Test
    void refusesAnInFlightLimitBelowOneRequest() {
        assertThatThrownBy(() -> parse("event-gateway { max-events-per-request = 100, max-in-flight-events = 99 }"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-in-flight-events");
    }

    @Test
    void refusesValuesNamingTheKey() {
        assertThatThrownBy(() -> parse("event-gateway.port = 70000"))
                .hasMessage("event-gateway.port must be in 0..65535 (0 = any free port), got 70000");
        assertThatThrownBy(() -> parse("event-gateway.host = \"\"")).hasMessage("event-gateway.host must not be empty");
        assertThatThrownBy(() -> parse("event-gateway.port = many"))
                .hasMessageStartingWith("event-gateway.port has a value of the wrong type");
        assertThatThrownBy(() -> parse("event-gateway.kafka.ready-timeout = 0s"))
                .hasMessage("event-gateway.kafka.ready-timeout must be positive, got PT0S");
        assertThatThrownBy(() -> parse("event-gateway.retry-after = 500ms"))
                .hasMessage("event-gateway.retry-after must be at least 1s (Retry-After counts whole seconds), got PT0.5S");
        assertThatThrownBy(() -> parse("iot.events.max-event-age = null"))
                .hasMessage("iot.events.max-event-age is missing (reference.conf defines it; was it set to null?)");
    }

    @Test
    void shutdownPhasesAreLongEnoughForTheDrainAndTheFlush() {
        Config akka = parse("event-gateway { shutdown-drain-timeout = 20s, kafka.send-timeout = 7s }").akkaOverrides();

        assertThat(akka.getDuration("akka.coordinated-shutdown.phases.service-requests-done.timeout"))
                .isGreaterThan(Duration.ofSeconds(20));
        assertThat(akka.getDuration("akka.coordinated-shutdown.phases.service-stop.timeout"))
                .isGreaterThan(Duration.ofSeconds(7));
    }
}
