package org.iotpipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingChecksTest {

    @Test
    void acceptedValuesComeBackUnchanged() {
        assertThat(SettingChecks.atLeast("k", 1, 1)).isEqualTo(1);
        assertThat(SettingChecks.atLeast("k", 5_000_000_000L, 0)).isEqualTo(5_000_000_000L);
        assertThat(SettingChecks.port("k", 1)).isEqualTo(1);
        assertThat(SettingChecks.port("k", 65535)).isEqualTo(65535);
        assertThat(SettingChecks.portOrAny("k", 0)).isZero();
        assertThat(SettingChecks.text("k", " a ")).isEqualTo(" a ");
        assertThat(SettingChecks.positive("k", Duration.ofNanos(1))).isEqualTo(Duration.ofNanos(1));
        assertThat(SettingChecks.notNegative("k", Duration.ZERO)).isZero();
        assertThat(SettingChecks.fraction("k", 0.0)).isZero();
        assertThat(SettingChecks.fraction("k", 1.0)).isEqualTo(1.0);
        assertThat(SettingChecks.notNegative("k", Double.MAX_VALUE)).isEqualTo(Double.MAX_VALUE);
    }

    @Test
    void rejectedValuesNameTheKeyWhatItMustBeAndWhatItWas() {
        assertThatThrownBy(() -> SettingChecks.atLeast("svc.devices", 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("svc.devices must be at least 1, got 0");
        assertThatThrownBy(() -> SettingChecks.atLeast("svc.count", -1L, 0))
                .hasMessage("svc.count must be at least 0, got -1");
        assertThatThrownBy(() -> SettingChecks.port("svc.port", 0))
                .hasMessage("svc.port must be in 1..65535, got 0");
        assertThatThrownBy(() -> SettingChecks.port("svc.port", 65536))
                .hasMessage("svc.port must be in 1..65535, got 65536");
        assertThatThrownBy(() -> SettingChecks.portOrAny("svc.port", -1))
                .hasMessage("svc.port must be in 0..65535 (0 = any free port), got -1");
        assertThatThrownBy(() -> SettingChecks.text("svc.host", " "))
                .hasMessage("svc.host must not be empty");
        assertThatThrownBy(() -> SettingChecks.positive("svc.interval", Duration.ZERO))
                .hasMessage("svc.interval must be positive, got PT0S");
        assertThatThrownBy(() -> SettingChecks.notNegative("svc.grace", Duration.ofSeconds(-1)))
                .hasMessage("svc.grace must not be negative, got PT-1S");
        assertThatThrownBy(() -> SettingChecks.fraction("svc.jitter", 1.5))
                .hasMessage("svc.jitter must be between 0 and 1, got 1.5");
        assertThatThrownBy(() -> SettingChecks.fraction("svc.jitter", Double.NaN))
                .hasMessage("svc.jitter must be between 0 and 1, got NaN");
        assertThatThrownBy(() -> SettingChecks.notNegative("svc.rate", -0.5))
                .hasMessage("svc.rate must be a finite number of at least 0, got -0.5");
        assertThatThrownBy(() -> SettingChecks.notNegative("svc.rate", Double.POSITIVE_INFINITY))
                .hasMessage("svc.rate must be a finite number of at least 0, got Infinity");
        assertThat(SettingChecks.invalid("svc.a", "must differ from svc.b")).hasMessage("svc.a must differ from svc.b");
    }

    @Test
    void nullIsAProgrammingErrorNamedByTheKey() {
        assertThatThrownBy(() -> SettingChecks.text("svc.host", null))
                .isInstanceOf(NullPointerException.class).hasMessage("svc.host is null");
        assertThatThrownBy(() -> SettingChecks.positive("svc.interval", null))
                .isInstanceOf(NullPointerException.class).hasMessage("svc.interval is null");
    }
}
