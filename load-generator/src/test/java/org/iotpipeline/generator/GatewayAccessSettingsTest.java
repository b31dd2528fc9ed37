package org.iotpipeline.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.iotpipeline.config.ReferenceConfig;
import org.iotpipeline.generator.delivery.GatewayAccess;
import org.junit.jupiter.api.Test;

/** The generator's keys for an authenticated HTTPS gateway: api-key and tls.trust-store. */
class GatewayAccessSettingsTest {

    private static GeneratorSettings with(Map<String, Object> overrides) {
        Map<String, Object> paths = new HashMap<>();
        overrides.forEach((key, value) -> paths.put("load-generator." + key, value));
        return GeneratorSettings.from(ReferenceConfig.with(paths), Clock.systemUTC());
    }

    @Test
    void byDefaultNoKeyAndTheJvmsTrust() {
        assertThat(with(Map.of()).access()).isEqualTo(GatewayAccess.NONE);
    }

    @Test
    void aKeyIsSentAsGivenAndNeverPrinted() {
        GeneratorSettings settings = with(Map.of("api-key", " fleet-a.abc_DEF-123 "));

        assertThat(settings.access().apiKey()).isEqualTo(Optional.of("fleet-a.abc_DEF-123"));
        assertThat(settings.toString()).doesNotContain("abc_DEF-123");
    }

    @Test
    void malformedKeysAndUnreadableTrustStoresNameTheKeyNotTheSecret() {
        assertThatThrownBy(() -> with(Map.of("api-key", "no-dot-in-it")))
                .hasMessageStartingWith("load-generator.api-key must be the gateway's token");
        assertThatThrownBy(() -> with(Map.of("api-key", "a.b\r\nX-Injected: 1")))
                .hasMessageStartingWith("load-generator.api-key").hasMessageNotContaining("Injected");
        assertThatThrownBy(() -> with(Map.of("tls.trust-store", "/no/such/store.p12")))
                .hasMessageStartingWith("load-generator.tls.trust-store").hasMessageContaining("/no/such/store.p12");
    }
}
