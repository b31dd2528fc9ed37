package org.iotpipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigSectionTest {

    private static ConfigSection section(String hocon) {
        return ConfigSection.of(ConfigFactory.parseString("svc { " + hocon + " }").resolve(), "svc");
    }

    @Test
    void readsEveryKindOfValue() {
        ConfigSection svc = section("""
                host = "127.0.0.1", port = 0, count = 3, big = 5000000000, on = yes, rate = 2.5, share = 0.25
                timeout = 10s, lag = 0s, size = 1m, file = " data/x ", none = "", tls { store = "/etc/s.p12" }
                """);

        assertThat(svc.text("host")).isEqualTo("127.0.0.1");
        assertThat(svc.portOrAny("port")).isZero();
        assertThat(svc.intAtLeast("count", 1)).isEqualTo(3);
        assertThat(svc.longAtLeast("big", 0)).isEqualTo(5_000_000_000L);
        assertThat(svc.getBoolean("on")).isTrue();
        assertThat(svc.nonNegativeNumber("rate")).isEqualTo(2.5);
        assertThat(svc.fraction("share")).isEqualTo(0.25);
        assertThat(svc.positiveDuration("timeout")).isEqualTo(Duration.ofSeconds(10));
        assertThat(svc.nonNegativeDuration("lag")).isZero();
        assertThat(svc.bytesAtLeast("size", 1)).isEqualTo(1024 * 1024);
        assertThat(svc.optionalPath("file")).contains(Path.of("data/x"));
        assertThat(svc.optionalPath("none")).isEmpty();
        assertThat(svc.getPath("none")).isEqualTo(Path.of(""));
        assertThat(svc.nonEmptyPath("file")).isEqualTo(Path.of(" data/x "));
        assertThatThrownBy(() -> svc.nonEmptyPath("none")).hasMessage("svc.none must not be empty");
        assertThat(svc.section("tls").getPath("store")).isEqualTo(Path.of("/etc/s.p12"));
        assertThat(svc.section("tls").key("store")).isEqualTo("svc.tls.store");
    }

    @Test
    void outOfRangeValuesNameTheFullKey() {
        ConfigSection svc = section("port = 0, count = 0, timeout = 0s, lag = -1s, host = \"\", share = 2, tls { port = 70000 }");

        assertThatThrownBy(() -> svc.port("port")).hasMessage("svc.port must be in 1..65535, got 0");
        assertThatThrownBy(() -> svc.section("tls").portOrAny("port"))
                .hasMessage("svc.tls.port must be in 0..65535 (0 = any free port), got 70000");
        assertThatThrownBy(() -> svc.intAtLeast("count", 1)).hasMessage("svc.count must be at least 1, got 0");
        assertThatThrownBy(() -> svc.positiveDuration("timeout")).hasMessage("svc.timeout must be positive, got PT0S");
        assertThatThrownBy(() -> svc.nonNegativeDuration("lag")).hasMessage("svc.lag must not be negative, got PT-1S");
        assertThatThrownBy(() -> svc.text("host")).hasMessage("svc.host must not be empty");
        assertThatThrownBy(() -> svc.fraction("share")).hasMessage("svc.share must be between 0 and 1, got 2.0");
        assertThat(svc.invalid("count", "must be even")).hasMessage("svc.count must be even");
    }

    @Test
    void missingKeysAndWrongTypesBecomeOneExceptionNamingTheFullKey() {
        ConfigSection svc = section("count = many, timeout = soon, nothing = null, tls { }");

        assertThatThrownBy(() -> svc.getInt("count"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("svc.count has a value of the wrong type: ")
                .hasMessageContaining("count has type STRING rather than NUMBER");
        assertThatThrownBy(() -> svc.getDuration("timeout"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("svc.timeout has a value of the wrong type: ");
        assertThatThrownBy(() -> svc.getString("absent"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("svc.absent is missing (reference.conf defines it; was it set to null?)");
        assertThatThrownBy(() -> svc.getString("nothing"))
                .hasMessage("svc.nothing is missing (reference.conf defines it; was it set to null?)");
        assertThatThrownBy(() -> svc.section("tls").getDuration("timeout"))
                .hasMessage("svc.tls.timeout is missing (reference.conf defines it; was it set to null?)");
        assertThatThrownBy(() -> ConfigSection.of(ConfigFactory.empty(), "other"))
                .hasMessage("other is missing (reference.conf defines it; was it set to null?)");
    }

    @Test
    void passThroughKeysMayBeQuotedOrNested() {
        ConfigSection svc = section("producer { \"max.request.size\" = 2097152, linger.ms = 1, acks = all }");

        assertThat(svc.stringMap("producer")).containsOnly(
                Map.entry("max.request.size", "2097152"), Map.entry("linger.ms", "1"), Map.entry("acks", "all"));
    }

    @Test
    void anInvalidPathNamesTheKey() {
        ConfigSection svc = section("file = \"a\\u0000b\"");

        assertThatThrownBy(() -> svc.getPath("file")).hasMessageStartingWith("svc.file is not a valid path: ");
        assertThatThrownBy(() -> svc.optionalPath("file")).hasMessageStartingWith("svc.file is not a valid path: ");
        assertThat(section("file = \"\"").optionalPath("file")).isEqualTo(Optional.empty());
    }
}
