package org.iotpipeline.query.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import org.iotpipeline.config.ConfigSection;
import org.iotpipeline.config.ReferenceConfig;
import org.junit.jupiter.api.Test;

class ConsoleSettingsTest {

    private static ConsoleSettings settings(String hocon) {
        return ConsoleSettings.from(ConfigSection.of(ConfigFactory.parseString(hocon).atPath("query-server.console")
                .withFallback(ReferenceConfig.defaults()).resolve(), "query-server.console"));
    }

    @Test
    void defaultsAreTheLocalGatewayAndEtl() {
        assertThat(settings("")).isEqualTo(new ConsoleSettings(URI.create("http://127.0.0.1:8080"),
                URI.create("http://127.0.0.1:8081"), Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }

    @Test
    void everyKeyCanBeSet() {
        assertThat(settings("gateway-url = \"https://gw.example.org:8443/\"\netl-url = \"http://10.0.0.5:18081\"\n"
                + "fetch-timeout = 500ms\ncache-ttl = 0s")).isEqualTo(new ConsoleSettings(
                URI.create("https://gw.example.org:8443"), URI.create("http://10.0.0.5:18081"), Duration.ofMillis(500),
                Duration.ZERO));
    }

    @Test
    void refusesWhatCannotBeRead() {
        assertThatThrownBy(() -> settings("gateway-url = \"localhost:8080\""))
                .hasMessageContaining("query-server.console.gateway-url must be an http:// or https:// URL");
        assertThatThrownBy(() -> settings("gateway-url = \"127.0.0.1:8080\""))
                .hasMessageContaining("query-server.console.gateway-url is not a URL");
        assertThatThrownBy(() -> settings("etl-url = \"ftp://host/x\"")).hasMessageContaining("etl-url");
        assertThatThrownBy(() -> settings("etl-url = \"http://host:8081/?a=b\"")).hasMessageContaining("without query");
        assertThatThrownBy(() -> settings("etl-url = \"http://host name\"")).hasMessageContaining("is not a URL");
        assertThatThrownBy(() -> settings("fetch-timeout = 0s")).hasMessageContaining("fetch-timeout must be positive");
        assertThatThrownBy(() -> settings("cache-ttl = -1s")).hasMessageContaining("cache-ttl must not be negative");
    }

    @Test
    void pathsAreAppendedToTheBase() {
        assertThat(ConsoleSettings.resolve(URI.create("http://h:1/prefix"), "/status")).isEqualTo("http://h:1/prefix/status");
    }
}
