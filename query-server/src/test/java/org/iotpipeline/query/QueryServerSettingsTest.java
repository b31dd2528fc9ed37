package org.iotpipeline.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.iotpipeline.config.ReferenceConfig;
import org.iotpipeline.query.console.ConsoleSettings;
import org.iotpipeline.query.execution.QueryLimits;
import org.iotpipeline.query.execution.ResultCacheSettings;
import org.iotpipeline.query.execution.StatementLimits;
import org.iotpipeline.query.http.HttpLimits;
import org.iotpipeline.query.http.TlsSettings;
import org.iotpipeline.query.json.RowShape;
import org.junit.jupiter.api.Test;

class QueryServerSettingsTest {

    /**
     * Keys under {@code query-server} that {@link QueryServerSettings} does not read: the dispatcher
     * akka builds from its own section ({@link QueryServerSettings#BLOCKING_DISPATCHER}). The
     * {@code spark} section is passed through, but its reference.conf keys are overridden below all
     * the same; {@code auth-tokens} is empty in reference.conf, so it has no keys to list.
     */
    private static final String AKKA_DISPATCHER = QueryServerSettings.BLOCKING_DISPATCHER + ".";

    static QueryServerSettings parse(String overrides) {
        return QueryServerSettings.from(ConfigFactory.parseString(overrides)
                .withFallback(ReferenceConfig.defaults()).resolve());
    }

    @Test
    void everyDefault() {
        assertThat(parse("")).isEqualTo(new QueryServerSettings(
                "127.0.0.1",
                8082,
                Optional.empty(),
                Map.of(),
                "data/staging/measurements",
                "data/warehouse/measurements",
                "data/live",
                Duration.ofSeconds(2),
                Duration.ofMillis(200),
                true,
                100_000,
                new QueryLimits(4, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5),
                        Duration.ofMinutes(30), 10_000, 100_000, 1024 * 1024, RowShape.OBJECTS,
                        new StatementLimits(65536, 64), Duration.ofSeconds(5)),
                new ResultCacheSettings(128, 16 * 1024),
                64 * 1024,
                new HttpLimits(256, Duration.ofSeconds(30)),
                new TlsSettings(false, "", "", Duration.ofSeconds(10)),
                new ConsoleSettings(URI.create("http://127.0.0.1:8080"), URI.create("http://127.0.0.1:8081"),
                        Duration.ofSeconds(2), Duration.ofSeconds(1)),
                Map.ofEntries(
                        Map.entry("spark.master", "local[*]"),
                        Map.entry("spark.app.name", "query-server"),
                        Map.entry("spark.ui.enabled", "false"),
                        Map.entry("spark.sql.session.timeZone", "UTC"),
                        Map.entry("spark.sql.runSQLOnFiles", "false"),
                        Map.entry("spark.sql.variable.substitute", "false"),
                        Map.entry("spark.executor.killOnFatalError.depth", "0"),
                        Map.entry("spark.driver.maxResultSize", "128m"),
                        Map.entry("spark.sql.datetime.java8API.enabled", "true"),
                        Map.entry("spark.sql.shuffle.partitions", "8"),
                        Map.entry("spark.sql.adaptive.enabled", "true"),
                        Map.entry("spark.sql.adaptive.coalescePartitions.enabled", "true"),
                        Map.entry("spark.sql.sources.parallelPartitionDiscovery.threshold", "100000"),
                        Map.entry("spark.sql.files.maxPartitionBytes", "128MB"),
                        Map.entry("spark.sql.files.openCostInBytes", "1MB"),
                        Map.entry("spark.hadoop.fs.file.impl", "org.iotpipeline.store.localfs.ForklessLocalFileSystem"),
                        Map.entry("spark.hadoop.fs.AbstractFileSystem.file.impl", "org.iotpipeline.store.localfs.ForklessLocalFs"))));
        assertThat(parse("").allTokens()).isEmpty();
    }

    @Test
    void everyKeyOverridden() {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("query-server.host", "0.0.0.0");
        overrides.put("query-server.port", 9443);
        overrides.put("query-server.auth-token", " t0 ");
        overrides.put("query-server.store.staging-path", "hdfs://nn/staging");
        overrides.put("query-server.store.warehouse-path", "hdfs://nn/warehouse");
        overrides.put("query-server.store.live-path", "hdfs://nn/live");
        overrides.put("query-server.store.refresh-interval", "0s");
        overrides.put("query-server.store.live-refresh-interval", "0s");
        overrides.put("query-server.store.incremental-listing", false);
        overrides.put("query-server.store.live-rows-on-driver", 0);
        overrides.put("query-server.query.max-concurrent", 2);
        overrides.put("query-server.query.retry-after", "3s");
        overrides.put("query-server.query.default-timeout", "10s");
        overrides.put("query-server.query.max-timeout", "1m");
        overrides.put("query-server.query.stream-timeout", "2h");
        overrides.put("query-server.query.default-max-rows", 50);
        overrides.put("query-server.query.max-rows-limit", 500);
        overrides.put("query-server.query.max-body-size", "4KiB");
        overrides.put("query-server.query.default-row-shape", "arrays");
        overrides.put("query-server.query.max-statement-length", 100);
        overrides.put("query-server.query.max-statement-nesting", 5);
        overrides.put("query-server.query.cancel-grace", "2s");
        overrides.put("query-server.query.result-cache.max-entries", 0);
        overrides.put("query-server.query.result-cache.max-entry-size", "1KiB");
        overrides.put("query-server.http.max-connections", 7);
        overrides.put("query-server.http.idle-timeout", "3s");
        overrides.put("query-server.http.tls.enabled", "on");
        overrides.put("query-server.http.tls.key-store", "/etc/iot/query.p12");
        overrides.put("query-server.http.tls.key-store-password", "pw");
        overrides.put("query-server.http.tls.handshake-timeout", "4s");
        overrides.put("query-server.console.gateway-url", "https://gw.example.org:8443/");
        overrides.put("query-server.console.etl-url", "http://10.0.0.5:18081");
        overrides.put("query-server.console.fetch-timeout", "500ms");
        overrides.put("query-server.console.cache-ttl", "0s");
        overrides.put("query-server.stream.chunk-size", "8KiB");
        overrides.put("query-server.spark.\"spark.master\"", "local[2]");
        overrides.put("query-server.spark.\"spark.app.name\"", "qs");
        overrides.put("query-server.spark.\"spark.ui.enabled\"", true);
        overrides.put("query-server.spark.\"spark.sql.session.timeZone\"", "Europe/Berlin");
        overrides.put("query-server.spark.\"spark.sql.runSQLOnFiles\"", true);
        overrides.put("query-server.spark.\"spark.sql.variable.substitute\"", true);
        overrides.put("query-server.spark.\"spark.executor.killOnFatalError.depth\"", 5);
        overrides.put("query-server.spark.\"spark.driver.maxResultSize\"", "1g");
        overrides.put("query-server.spark.\"spark.sql.datetime.java8API.enabled\"", false);
        overrides.put("query-server.spark.\"spark.sql.shuffle.partitions\"", 3);
        overrides.put("query-server.spark.\"spark.sql.adaptive.enabled\"", false);
        overrides.put("query-server.spark.\"spark.sql.adaptive.coalescePartitions.enabled\"", false);
        overrides.put("query-server.spark.\"spark.sql.sources.parallelPartitionDiscovery.threshold\"", 32);
        overrides.put("query-server.spark.\"spark.sql.files.maxPartitionBytes\"", "64MB");
        overrides.put("query-server.spark.\"spark.sql.files.openCostInBytes\"", "4MB");
        overrides.put("query-server.spark.\"spark.hadoop.fs.file.impl\"", "org.apache.hadoop.fs.LocalFileSystem");
        overrides.put("query-server.spark.\"spark.hadoop.fs.AbstractFileSystem.file.impl\"", "org.apache.hadoop.fs.local.LocalFs");
        // auth-tokens is empty in reference.conf, so keysUnder has no key of it; a name of our own.
        overrides.put("query-server.auth-tokens.alice", "t1");

        assertThat(overrides.keySet()).as("every key of reference.conf that the settings read, and only those")
                .containsExactlyInAnyOrderElementsOf(keysReadBySettings());
        assertThat(ReferenceConfig.unchanged(overrides)).as("overrides equal to the default").isEmpty();
        assertThat(QueryServerSettings.from(ReferenceConfig.with(overrides))).isEqualTo(new QueryServerSettings(
                "0.0.0.0",
                9443,
                Optional.of("t0"),
                Map.of("alice", "t1"),
                "hdfs://nn/staging",
                "hdfs://nn/warehouse",
                "hdfs://nn/live",
                Duration.ZERO,
                Duration.ZERO,
                false,
                0,
                new QueryLimits(2, Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofMinutes(1),
                        Duration.ofHours(2), 50, 500, 4096, RowShape.ARRAYS, new StatementLimits(100, 5),
                        Duration.ofSeconds(2)),
                new ResultCacheSettings(0, 1024),
                8192,
                new HttpLimits(7, Duration.ofSeconds(3)),
                new TlsSettings(true, "/etc/iot/query.p12", "pw", Duration.ofSeconds(4)),
                new ConsoleSettings(URI.create("https://gw.example.org:8443"), URI.create("http://10.0.0.5:18081"),
                        Duration.ofMillis(500), Duration.ZERO),
                Map.ofEntries(
                        Map.entry("spark.master", "local[2]"),
                        Map.entry("spark.app.name", "qs"),
                        Map.entry("spark.ui.enabled", "true"),
                        Map.entry("spark.sql.session.timeZone", "Europe/Berlin"),
                        Map.entry("spark.sql.runSQLOnFiles", "true"),
                        Map.entry("spark.sql.variable.substitute", "true"),
                        Map.entry("spark.executor.killOnFatalError.depth", "5"),
                        Map.entry("spark.driver.maxResultSize", "1g"),
                        Map.entry("spark.sql.datetime.java8API.enabled", "false"),
                        Map.entry("spark.sql.shuffle.partitions", "3"),
                        Map.entry("spark.sql.adaptive.enabled", "false"),
                        Map.entry("spark.sql.adaptive.coalescePartitions.enabled", "false"),
                        Map.entry("spark.sql.sources.parallelPartitionDiscovery.threshold", "32"),
                        Map.entry("spark.sql.files.maxPartitionBytes", "64MB"),
                        Map.entry("spark.sql.files.openCostInBytes", "4MB"),
                        Map.entry("spark.hadoop.fs.file.impl", "org.apache.hadoop.fs.LocalFileSystem"),
                        Map.entry("spark.hadoop.fs.AbstractFileSystem.file.impl", "org.apache.hadoop.fs.local.LocalFs"))));
    }

    @Test
    void everyTokenByCallerNameAndEmptyTokensLeftOut() {
        QueryServerSettings settings = parse("query-server.auth-token = t0\n"
                + "query-server.auth-tokens { alice = t1, bob = \"\" }");

        assertThat(settings.allTokens()).isEqualTo(Map.of("default", "t0", "alice", "t1"));
    }

    @Test
    void sparkSettingsPassThroughAndAPathOverridesAQuotedKey() {
        QueryServerSettings settings = parse("query-server.spark { \"spark.sql.shuffle.partitions\" = 3 }\n"
                + "query-server.spark.spark.master = \"local[2]\"\n"
                + "query-server.spark.spark.executor.memory = 2g");

        assertThat(settings.sparkConf()).containsEntry("spark.sql.shuffle.partitions", "3")
                .containsEntry("spark.master", "local[2]")
                .containsEntry("spark.executor.memory", "2g");
    }

    @Test
    void refusesValuesNamingTheKey() {
        assertThatThrownBy(() -> parse("query-server.port = 70000"))
                .hasMessage("query-server.port must be in 0..65535 (0 = any free port), got 70000");
        assertThatThrownBy(() -> parse("query-server.port = -1"))
                .hasMessage("query-server.port must be in 0..65535 (0 = any free port), got -1");
        assertThat(parse("query-server.port = 0").port()).as("0 = any free port, as the tests bind").isZero();
        assertThatThrownBy(() -> parse("query-server.host = \" \""))
                .hasMessage("query-server.host must not be empty");
        assertThatThrownBy(() -> parse("query-server.port = many"))
                .hasMessageStartingWith("query-server.port has a value of the wrong type");
        assertThatThrownBy(() -> parse("query-server.store.refresh-interval = -1s"))
                .hasMessage("query-server.store.refresh-interval must not be negative, got PT-1S");
        assertThatThrownBy(() -> parse("query-server.store.live-refresh-interval = -1s"))
                .hasMessage("query-server.store.live-refresh-interval must not be negative, got PT-1S");
        assertThatThrownBy(() -> parse("query-server.store.live-rows-on-driver = 2147483647"))
                .hasMessage("query-server.store.live-rows-on-driver must be at most 10000000, got 2147483647");
        assertThatThrownBy(() -> parse("query-server.store.live-rows-on-driver = -1"))
                .hasMessage("query-server.store.live-rows-on-driver must be at least 0, got -1");
        assertThatThrownBy(() -> parse("query-server.store.live-path = \"\""))
                .hasMessage("query-server.store.live-path must not be empty");
        assertThatThrownBy(() -> parse("query-server.stream.chunk-size = 3GiB"))
                .hasMessage("query-server.stream.chunk-size must be between 1 byte and 2 GiB, got 3221225472");
        assertThatThrownBy(() -> parse("query-server.query.max-body-size = 0"))
                .hasMessage("query-server.query.max-body-size must be between 1 byte and 2 GiB, got 0");
        assertThatThrownBy(() -> parse("query-server.query.max-concurrent = 0"))
                .hasMessage("query-server.query.max-concurrent must be at least 1, got 0");
        assertThatThrownBy(() -> parse("query-server.query.retry-after = 0s"))
                .hasMessage("query-server.query.retry-after must be positive, got PT0S");
        assertThatThrownBy(() -> parse("query-server.query.stream-timeout = 0s"))
                .hasMessage("query-server.query.stream-timeout must be positive, got PT0S");
        assertThatThrownBy(() -> parse("query-server.query.default-max-rows = 200000"))
                .hasMessage("query-server.query.default-max-rows (200000) must not exceed max-rows-limit (100000)");
        assertThatThrownBy(() -> parse("query-server.query.max-timeout = 10s"))
                .hasMessage("query-server.query.default-timeout (PT30S) must not exceed max-timeout (PT10S)");
        assertThatThrownBy(() -> parse("query-server.query.default-row-shape = tables"))
                .hasMessage("query-server.query.default-row-shape must be \"objects\" or \"arrays\", got \"tables\"");
        assertThatThrownBy(() -> parse("query-server.query.max-statement-nesting = 0"))
                .hasMessage("query-server.query.max-statement-nesting must be at least 1, got 0");
        assertThatThrownBy(() -> parse("query-server.query.cancel-grace = 0s"))
                .hasMessage("query-server.query.cancel-grace must be positive, got PT0S");
        assertThatThrownBy(() -> parse("query-server.http.max-connections = 0"))
                .hasMessage("query-server.http.max-connections must be at least 1, got 0");
        assertThatThrownBy(() -> parse("query-server.http.idle-timeout = 0s"))
                .hasMessage("query-server.http.idle-timeout must be positive, got PT0S");
        assertThatThrownBy(() -> parse("query-server.http.tls.enabled = on"))
                .hasMessage("query-server.http.tls.key-store must name a PKCS12 key store when"
                        + " query-server.http.tls.enabled is on");
        assertThatThrownBy(() -> parse("query-server.console.cache-ttl = -1s"))
                .hasMessage("query-server.console.cache-ttl must not be negative, got PT-1S");
        assertThatThrownBy(() -> parse("query-server.auth-tokens.default = x"))
                .hasMessage("query-server.auth-tokens must not name a token \"default\" (that is auth-token)");
        assertThatThrownBy(() -> parse("query-server.spark { \"sql.shuffle.partitions\" = 3 }"))
                .hasMessage("query-server.spark may only hold Spark settings (keys starting with \"spark.\"),"
                        + " got \"sql.shuffle.partitions\"");
        assertThatThrownBy(() -> parse("query-server.query.cancel-grace = null"))
                .hasMessage("query-server.query.cancel-grace is missing (reference.conf defines it; was it set to null?)");
    }

    private static Set<String> keysReadBySettings() {
        Set<String> keys = ReferenceConfig.keysUnder(QueryServerSettings.ROOT).stream()
                .filter(key -> !key.startsWith(AKKA_DISPATCHER))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        keys.add("query-server.auth-tokens.alice");
        return keys;
    }
}
