package org.iotpipeline.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import org.iotpipeline.query.console.ConsoleSettings;
import org.iotpipeline.query.execution.StatementLimits;
import org.iotpipeline.query.http.HttpLimits;
import org.iotpipeline.query.json.RowShape;
import org.junit.jupiter.api.Test;

class QueryServerSettingsTest {

    private static QueryServerSettings settings(String overrides) {
        Config config = ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve();
        return QueryServerSettings.from(config);
    }

    @Test
    void referenceConfHoldsTheDocumentedDefaults() {
        QueryServerSettings settings = settings("");

        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8082);
        assertThat(settings.authToken()).isEmpty();
        assertThat(settings.stagingPath()).isEqualTo("data/staging/measurements");
        assertThat(settings.warehousePath()).isEqualTo("data/warehouse/measurements");
        assertThat(settings.refreshInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.limits().maxConcurrent()).isEqualTo(4);
        assertThat(settings.limits().defaultMaxRows()).isEqualTo(10_000);
        assertThat(settings.limits().defaultRowShape()).isEqualTo(RowShape.OBJECTS);
        assertThat(settings.limits().maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(settings.limits().statement()).isEqualTo(new StatementLimits(65536, 64));
        assertThat(settings.limits().cancelGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.http()).isEqualTo(new HttpLimits(256, Duration.ofSeconds(30)));
        assertThat(settings.authTokens()).isEmpty();
        assertThat(settings.allTokens()).isEmpty();
        assertThat(settings.console()).isEqualTo(new ConsoleSettings(URI.create("http://127.0.0.1:8080"),
                URI.create("http://127.0.0.1:8081"), Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThat(settings.sparkConf()).containsEntry("spark.master", "local[*]")
                .containsEntry("spark.sql.session.timeZone", "UTC")
                .containsEntry("spark.sql.runSQLOnFiles", "false")
                .containsEntry("spark.sql.adaptive.enabled", "true")
                .containsEntry("spark.ui.enabled", "false");
    }

    @Test
    void sparkSettingsPassThroughAndAPathOverridesAQuotedKey() {
        QueryServerSettings settings = settings("query-server.spark { \"spark.sql.shuffle.partitions\" = 3 }\n"
                + "query-server.spark.spark.master = \"local[2]\"\n"
                + "query-server.spark.spark.executor.memory = 2g");

        assertThat(settings.sparkConf()).containsEntry("spark.sql.shuffle.partitions", "3")
                .containsEntry("spark.master", "local[2]")
                .containsEntry("spark.executor.memory", "2g");
    }

    @Test
    void refusesWhatCannotWork() {
        assertThatThrownBy(() -> settings("query-server.spark { \"sql.shuffle.partitions\" = 3 }"))
                .hasMessageContaining("keys starting with \"spark.\"");
        assertThatThrownBy(() -> settings("query-server.query.default-row-shape = tables"))
                .hasMessageContaining("default-row-shape");
        assertThatThrownBy(() -> settings("query-server.query.default-max-rows = 200000"))
                .hasMessageContaining("must not exceed max-rows-limit");
        assertThatThrownBy(() -> settings("query-server.query.max-concurrent = 0"))
                .hasMessageContaining("max-concurrent must be at least 1");
        assertThat(settings("query-server.auth-token = \" secret \"").authToken()).isEqualTo(java.util.Optional.of("secret"));
        assertThatThrownBy(() -> settings("query-server.query.max-statement-nesting = 0"))
                .hasMessageContaining("max-statement-nesting must be at least 1");
        assertThatThrownBy(() -> settings("query-server.http.max-connections = 0"))
                .hasMessageContaining("max-connections must be at least 1");
        assertThatThrownBy(() -> settings("query-server.auth-tokens.default = x"))
                .hasMessageContaining("auth-tokens must not name a token \"default\"");
    }

    @Test
    void everyNewLimitCanBeOverridden() {
        QueryServerSettings settings = settings("query-server.query.max-statement-length = 100\n"
                + "query-server.query.max-statement-nesting = 5\n"
                + "query-server.query.cancel-grace = 2s\n"
                + "query-server.http.max-connections = 7\n"
                + "query-server.http.idle-timeout = 3s\n"
                + "query-server.auth-token = t0\n"
                + "query-server.auth-tokens { alice = t1, bob = \"\" }");

        assertThat(settings.limits().statement()).isEqualTo(new StatementLimits(100, 5));
        assertThat(settings.limits().cancelGrace()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.http()).isEqualTo(new HttpLimits(7, Duration.ofSeconds(3)));
        assertThat(settings.allTokens()).isEqualTo(java.util.Map.of("default", "t0", "alice", "t1"));
    }
}
