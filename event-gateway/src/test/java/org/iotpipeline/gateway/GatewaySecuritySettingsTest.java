package org.iotpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The keys added for issue 13 (auth, TLS, header timeout, violation cap): every default, then every override. */
class GatewaySecuritySettingsTest {

    private static GatewaySettings parse(String overrides) {
        return GatewaySettings.from(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    @Test
    void defaults() {
        GatewaySettings settings = parse("");

        assertThat(settings.auth()).isEqualTo(new GatewaySettings.Auth(false, Path.of("config/gateway-keys"),
                Duration.ofSeconds(5), false));
        assertThat(settings.tls()).isEqualTo(new GatewaySettings.Tls(false, Path.of(""), ""));
        assertThat(settings.requestHeaderTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.bodyReadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.maxReportedViolations()).isEqualTo(100);
        assertThat(settings.maxEventsPerRequest()).isEqualTo(10_000);
    }

    @Test
    void everyKeyCanBeSet() {
        GatewaySettings settings = parse("""
                event-gateway {
                  request-header-timeout = 3s
                  body-read-timeout = 4s
                  max-reported-violations = 7
                  auth { enabled = on, keys-file = "/etc/iot/keys", reload-interval = 1m, allow-open-access = on }
                  tls { enabled = on, key-store = "/etc/iot/gw.p12", key-store-password = "pw" }
                }
                """);

        assertThat(settings.auth()).isEqualTo(new GatewaySettings.Auth(true, Path.of("/etc/iot/keys"),
                Duration.ofMinutes(1), true));
        assertThat(settings.tls()).isEqualTo(new GatewaySettings.Tls(true, Path.of("/etc/iot/gw.p12"), "pw"));
        assertThat(settings.tls().toString()).doesNotContain("pw").contains("***");
        assertThat(settings.requestHeaderTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.bodyReadTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(settings.maxReportedViolations()).isEqualTo(7);
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
