package org.iotpipeline.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import org.iotpipeline.gateway.GatewaySettings;
import org.junit.jupiter.api.Test;

class OpenAccessGuardTest {

    private static GatewaySettings settings(String hocon) {
        return GatewaySettings.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    @Test
    void loopbackNeedsNoKeys() {
        assertThatCode(() -> OpenAccessGuard.check(settings(""))).doesNotThrowAnyException();
        assertThatCode(() -> OpenAccessGuard.check(settings("event-gateway.host = localhost"))).doesNotThrowAnyException();
        assertThatCode(() -> OpenAccessGuard.check(settings("event-gateway.host = \"::1\""))).doesNotThrowAnyException();
    }

    @Test
    void anyOtherAddressNeedsKeysOrConsent() {
        assertThatThrownBy(() -> OpenAccessGuard.check(settings("event-gateway.host = \"0.0.0.0\"")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GATEWAY_AUTH_ENABLED")
                .hasMessageContaining("GATEWAY_ALLOW_OPEN_ACCESS");
        assertThatCode(() -> OpenAccessGuard.check(settings(
                "event-gateway { host = \"0.0.0.0\", auth.allow-open-access = on }"))).doesNotThrowAnyException();
        assertThatCode(() -> OpenAccessGuard.check(settings(
                "event-gateway { host = \"0.0.0.0\", auth.enabled = on }"))).doesNotThrowAnyException();
    }

    @Test
    void onlyAddressesThatAreAllLoopbackCount() {
        assertThat(OpenAccessGuard.isLoopback("127.0.0.1")).isTrue();
        assertThat(OpenAccessGuard.isLoopback("127.1.2.3")).isTrue();
        assertThat(OpenAccessGuard.isLoopback("0.0.0.0")).isFalse();
        assertThat(OpenAccessGuard.isLoopback("::")).isFalse();
        assertThat(OpenAccessGuard.isLoopback("no-such-host.invalid")).isFalse();
    }
}
