package org.iotpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

    private static GatewaySettings parse(String overrides) {
        Config config = ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve();
        return GatewaySettings.from(config);
    }

    @Test
    void referenceDefaultsMatchTheContract() {
        GatewaySettings settings = parse("");

        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.maxBodySize()).isEqualTo(1024 * 1024);
        assertThat(settings.benchmarkRoute()).isFalse();
        assertThat(settings.kafka().topic()).isEqualTo("iot_device_events");
        assertThat(settings.kafka().sendTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(settings.kafka().producer())
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("linger.ms", "1")
                .containsKey("delivery.timeout.ms");
        assertThat(settings.kafka().producerMillis("delivery.timeout.ms", 0))
                .as("the producer gives up on a record before the client is told 503")
                .isLessThan(settings.kafka().sendTimeout().toMillis());
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
    void shutdownPhasesAreLongEnoughForTheDrainAndTheFlush() {
        Config akka = parse("event-gateway { shutdown-drain-timeout = 20s, kafka.send-timeout = 7s }").akkaOverrides();

        assertThat(akka.getDuration("akka.coordinated-shutdown.phases.service-requests-done.timeout"))
                .isGreaterThan(Duration.ofSeconds(20));
        assertThat(akka.getDuration("akka.coordinated-shutdown.phases.service-stop.timeout"))
                .isGreaterThan(Duration.ofSeconds(7));
    }
}
