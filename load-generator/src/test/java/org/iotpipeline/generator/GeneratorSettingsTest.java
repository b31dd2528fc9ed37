package org.iotpipeline.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GeneratorSettingsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-24T12:00:00Z"), ZoneOffset.UTC);

    private static GeneratorSettings with(Map<String, Object> overrides) {
        Map<String, Object> paths = new HashMap<>();
        overrides.forEach((key, value) -> paths.put("load-generator." + key, value));
        return GeneratorSettings.from(ConfigFactory.parseMap(paths).withFallback(ConfigFactory.defaultReference()).resolve(), CLOCK);
    }

    @Test
    void referenceConfHasWorkingDefaults() {
        GeneratorSettings settings = with(Map.of());
        assertThat(settings.url().toString()).isEqualTo("http://127.0.0.1:8080/events");
        assertThat(settings.devices()).isEqualTo(10);
        assertThat(settings.batchSize()).isEqualTo(1);
        assertThat(settings.backfill()).isEmpty();
        assertThat(settings.ledgerPath()).isEmpty();
        assertThat(settings.ledgerWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.duplicateFraction()).isZero();
        assertThat(settings.retry().maxAttempts()).isEqualTo(6);
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
