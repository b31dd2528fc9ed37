package org.iotpipeline.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.iotpipeline.config.ReferenceConfig;
import org.iotpipeline.generator.delivery.GatewayAccess;
import org.iotpipeline.generator.delivery.RetryPolicy;
import org.iotpipeline.generator.fleet.Backfill;
import org.iotpipeline.tls.SelfSignedKeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorSettingsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-24T12:00:00Z"), ZoneOffset.UTC);

    private static GeneratorSettings with(Map<String, Object> overrides) {
        Map<String, Object> paths = new HashMap<>();
        overrides.forEach((key, value) -> paths.put("load-generator." + key, value));
        return GeneratorSettings.from(ReferenceConfig.with(paths), CLOCK);
    }

    @Test
    void everyDefault() {
        assertThat(with(Map.of())).isEqualTo(new GeneratorSettings(
                URI.create("http://127.0.0.1:8080/events"),
                10,
                3,
                0,
                Duration.ofSeconds(1),
                0.0,
                0L,
                Duration.ZERO,
                1,
                Duration.ofMillis(50),
                32,
                42L,
                Duration.ofHours(1),
                0.5,
                16,
                Optional.empty(),
                new RetryPolicy(6, Duration.ofMillis(100), Duration.ofSeconds(5), 0.2),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Optional.empty(),
                Duration.ofMinutes(5),
                0.0,
                GatewayAccess.NONE));
    }

    @Test
    void everyKeyOverridden(@TempDir Path dir) throws Exception {
        Path trustStore = SelfSignedKeyStore.create(dir, "store-pw");
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("load-generator.url", "https://gateway.example:8443/events");
        overrides.put("load-generator.api-key", "fleet-a.s3cret");
        overrides.put("load-generator.tls.trust-store", trustStore.toString());
        overrides.put("load-generator.tls.trust-store-password", "store-pw");
        overrides.put("load-generator.devices", 250);
        overrides.put("load-generator.metrics-per-device", 4);
        overrides.put("load-generator.first-device-id", 1000);
        overrides.put("load-generator.interval", "250ms");
        overrides.put("load-generator.rate", 2500.5);
        overrides.put("load-generator.event-count", 1_000_000);
        overrides.put("load-generator.duration", "2h");
        overrides.put("load-generator.batch-size", 500);
        overrides.put("load-generator.batch-linger", "20ms");
        overrides.put("load-generator.concurrency", 8);
        overrides.put("load-generator.seed", 7);
        overrides.put("load-generator.value-model.period", "30m");
        overrides.put("load-generator.value-model.noise-stddev", 1.25);
        overrides.put("load-generator.value-model.resolution-divisor", 8);
        overrides.put("load-generator.backfill.start", "2025-11-24T00:00:00Z");
        overrides.put("load-generator.backfill.speed", "60");
        overrides.put("load-generator.backfill.continue-live", true);
        overrides.put("load-generator.retry.max-attempts", 3);
        overrides.put("load-generator.retry.initial-backoff", "1s");
        overrides.put("load-generator.retry.max-backoff", "20s");
        overrides.put("load-generator.retry.jitter", 0.5);
        overrides.put("load-generator.request-timeout", "3s");
        overrides.put("load-generator.progress-interval", "0s");
        overrides.put("load-generator.shutdown-timeout", "1m");
        overrides.put("load-generator.ledger-path", "target/ledger.json");
        overrides.put("load-generator.ledger-window", "15m");
        overrides.put("load-generator.duplicate-fraction", 0.05);

        assertThat(overrides.keySet()).as("every key of reference.conf, and only those")
                .containsExactlyInAnyOrderElementsOf(ReferenceConfig.keysUnder(GeneratorSettings.ROOT));
        assertThat(ReferenceConfig.unchanged(overrides)).as("overrides equal to the default").isEmpty();
        assertThat(GeneratorSettings.from(ReferenceConfig.with(overrides), CLOCK)).isEqualTo(new GeneratorSettings(
                URI.create("https://gateway.example:8443/events"),
                250,
                4,
                1000,
                Duration.ofMillis(250),
                2500.5,
                1_000_000L,
                Duration.ofHours(2),
                500,
                Duration.ofMillis(20),
                8,
                7L,
                Duration.ofMinutes(30),
                1.25,
                8,
                Optional.of(new Backfill(Instant.parse("2025-11-24T00:00:00Z"), 60.0, true)),
                new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(20), 0.5),
                Duration.ofSeconds(3),
                Duration.ZERO,
                Duration.ofMinutes(1),
                Optional.of(Path.of("target/ledger.json")),
                Duration.ofMinutes(15),
                0.05,
                new GatewayAccess(Optional.of("fleet-a.s3cret"),
                        Optional.of(new GatewayAccess.TrustStore(trustStore, "store-pw")))));
    }

    @Test
    void backfillStartIsAnInstantOrADurationBeforeNow() {
        assertThat(with(Map.of("backfill.start", "24h")).backfill().orElseThrow().start())
                .isEqualTo(Instant.parse("2025-11-23T12:00:00Z"));
        var backfill = with(Map.of("backfill.start", "2025-11-01T00:00:00Z", "backfill.speed", "60")).backfill().orElseThrow();
        assertThat(backfill.start()).isEqualTo(Instant.parse("2025-11-01T00:00:00Z"));
        assertThat(backfill.speed()).isEqualTo(60);
        assertThat(with(Map.of("backfill.start", "1h")).backfill().orElseThrow().speed()).isInfinite();
    }

    @Test
    void optionalValues() {
        GeneratorSettings settings = with(Map.of("ledger-path", "target/l.json", "rate", "2500.5"));
        assertThat(settings.ledgerPath()).isEqualTo(Optional.of(Path.of("target/l.json")));
        assertThat(settings.rate()).isEqualTo(2500.5);
    }

    @Test
    void invalidValuesNameTheKeyAndTheReason() {
        assertThatThrownBy(() -> with(Map.of("devices", 0))).hasMessage("load-generator.devices must be at least 1, got 0");
        assertThatThrownBy(() -> with(Map.of("devices", "many"))).hasMessageStartingWith("load-generator.devices has a value of the wrong type");
        assertThatThrownBy(() -> with(Map.of("url", "ftp://x/events"))).hasMessageContaining("load-generator.url must be an http");
        assertThatThrownBy(() -> with(Map.of("backfill.start", "2030-01-01T00:00:00Z"))).hasMessageContaining("must not be in the future");
        assertThatThrownBy(() -> with(Map.of("backfill.start", "yesterday"))).hasMessageContaining("load-generator.backfill.start");
        assertThatThrownBy(() -> with(Map.of("backfill.start", "1h", "backfill.speed", "fast"))).hasMessageContaining("load-generator.backfill.speed");
        assertThatThrownBy(() -> with(Map.of("duplicate-fraction", 1.5))).hasMessageContaining("load-generator.duplicate-fraction");
        assertThatThrownBy(() -> with(Map.of("ledger-window", "90s"))).hasMessageContaining("whole number of minutes");
        assertThatThrownBy(() -> with(Map.of("first-device-id", Integer.MAX_VALUE, "devices", 2))).hasMessageContaining("2147483647");
        assertThatThrownBy(() -> with(Map.of("retry.initial-backoff", "10s"))).hasMessageContaining("load-generator.retry.max-backoff");
    }

    @Test
    void commandLineBeatsSystemPropertiesWhichBeatTheGeneratorsAkkaTuning() {
        System.setProperty("load-generator.devices", "77");
        ConfigFactory.invalidateCaches(); // Typesafe Config caches the system properties
        try {
            assertThat(GeneratorMain.configuration(Map.of()).getInt("load-generator.devices")).isEqualTo(77);
            assertThat(GeneratorMain.configuration(Map.of("load-generator.devices", "5")).getInt("load-generator.devices"))
                    .isEqualTo(5);
        } finally {
            System.clearProperty("load-generator.devices");
            ConfigFactory.invalidateCaches();
        }
        assertThat(GeneratorMain.configuration(Map.of())
                .getInt("akka.actor.default-dispatcher.fork-join-executor.parallelism-min")).isEqualTo(2);
        assertThat(GeneratorMain.configuration(Map.of("akka.actor.default-dispatcher.fork-join-executor.parallelism-min", "4"))
                .getInt("akka.actor.default-dispatcher.fork-join-executor.parallelism-min")).isEqualTo(4);
    }
}
