package org.iotpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The keys added for issue 13 (auth, TLS, header timeout, violation cap); their values are in GatewaySettingsTest. */
class GatewaySecuritySettingsTest {

    private static GatewaySettings parse(String overrides) {
        return GatewaySettingsTest.parse(overrides);
    }

    @Test
    void theKeyStorePasswordIsNeverPrinted() {
        GatewaySettings settings = parse("event-gateway.tls { enabled = on, key-store = \"/etc/iot/gw.p12\", key-store-password = \"pw\" }");

        assertThat(settings.tls().toString()).doesNotContain("pw").contains("***");
        assertThat(settings.withPort(9).tls()).isEqualTo(settings.tls());
    }

    @Test
    void refusesUnusableValues() {
        assertThatThrownBy(() -> parse("event-gateway.tls.enabled = on")).hasMessageContaining("tls.key-store");
        assertThatThrownBy(() -> parse("event-gateway.max-reported-violations = 0"))
                .hasMessageContaining("max-reported-violations");
        assertThatThrownBy(() -> parse("event-gateway.request-header-timeout = 0s"))
                .hasMessageContaining("request-header-timeout");
        assertThatThrownBy(() -> parse("event-gateway.auth.reload-interval = 0s")).hasMessageContaining("reload-interval");
    }
}
