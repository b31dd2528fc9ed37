package org.iotpipeline.query;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.iotpipeline.config.ConfigSection;
import org.iotpipeline.config.SettingChecks;
import org.iotpipeline.query.console.ConsoleSettings;
import org.iotpipeline.query.execution.QueryLimits;
import org.iotpipeline.query.execution.ResultCacheSettings;
import org.iotpipeline.query.http.HttpLimits;
import org.iotpipeline.query.http.TlsSettings;
import org.iotpipeline.query.execution.StatementLimits;
import org.iotpipeline.query.json.RowShape;

/**
 * The {@code query-server} section of the configuration, read once at start-up. Every key and its
 * default is documented in {@code reference.conf}; every refusal names the full key.
 *
 * @param host            address the HTTP API binds to
 * @param port            port of the HTTP API (0 = any free port)
 * @param authToken       bearer token the query endpoints require, if any (its caller name is {@code default})
 * @param authTokens      further bearer tokens by caller name ({@code auth-tokens})
 * @param stagingPath     root of the staging tree (Hadoop FS URI or local path)
 * @param warehousePath   root of the warehouse tree
 * @param livePath        root of the live area (the ETL's open windows and latest readings)
 * @param refreshInterval how old the store listing may get before a query re-lists it
 * @param liveRefreshInterval how often the live pointer is read; a new one re-lists the store at once (0 = never)
 * @param incrementalListing whether hour directories whose modification time did not change are not
 *                        listed again (local file system and HDFS only; docs/storage.md)
 * @param liveRowsOnDriver up to how many rows per part the live tables' small parts are computed in
 *                        the driver's memory per ETL batch (0 = never; docs/storage.md)
 * @param limits          per-query limits and defaults
 * @param resultCache     answers kept for the same query over the same tables
 * @param streamChunkBytes largest chunk of a streamed answer
 * @param http            connection cap and idle timeout of the listener
 * @param tls             HTTPS of the listener
 * @param console         where the console's pipeline page reads the gateway and the ETL
 * @param sparkConf       Spark configuration passed through to the session
 */
public record QueryServerSettings(String host, int port, Optional<String> authToken, Map<String, String> authTokens,
                                  String stagingPath, String warehousePath, String livePath, Duration refreshInterval,
                                  Duration liveRefreshInterval, boolean incrementalListing, int liveRowsOnDriver,
                                  QueryLimits limits, ResultCacheSettings resultCache,
                                  int streamChunkBytes, HttpLimits http, TlsSettings tls,
                                  ConsoleSettings console,
                                  Map<String, String> sparkConf) {

    public static final String ROOT = "query-server";
    /** Config path of the dispatcher that runs blocking reads of streamed results. */
    public static final String BLOCKING_DISPATCHER = ROOT + ".blocking-dispatcher";

    /** Rows per live part the driver may hold at most: ~10 GB of the driver's heap. */
    static final int MAX_LIVE_ROWS_ON_DRIVER = 10_000_000;

    /** Name of the caller that presents {@code auth-token}. */
    public static final String DEFAULT_TOKEN_NAME = "default";

    public QueryServerSettings {
        SettingChecks.text(key("host"), host);
        SettingChecks.portOrAny(key("port"), port);
        Objects.requireNonNull(authToken, "authToken is null");
        authTokens = Map.copyOf(Objects.requireNonNull(authTokens, "authTokens is null"));
        SettingChecks.text(key("store.staging-path"), stagingPath);
        SettingChecks.text(key("store.warehouse-path"), warehousePath);
        SettingChecks.text(key("store.live-path"), livePath);
        SettingChecks.notNegative(key("store.refresh-interval"), refreshInterval);
        SettingChecks.notNegative(key("store.live-refresh-interval"), liveRefreshInterval);
        SettingChecks.atLeast(key("store.live-rows-on-driver"), liveRowsOnDriver, 0);
        if (liveRowsOnDriver > MAX_LIVE_ROWS_ON_DRIVER) {
            throw SettingChecks.invalid(key("store.live-rows-on-driver"),
                    "must be at most " + MAX_LIVE_ROWS_ON_DRIVER + ", got " + liveRowsOnDriver);
        }
        Objects.requireNonNull(limits, "limits is null");
        Objects.requireNonNull(resultCache, "resultCache is null");
        SettingChecks.atLeast(key("stream.chunk-size"), streamChunkBytes, 1);
        Objects.requireNonNull(http, "http is null");
        Objects.requireNonNull(tls, "tls is null");
        Objects.requireNonNull(console, "console is null");
        sparkConf = Map.copyOf(Objects.requireNonNull(sparkConf, "sparkConf is null"));
    }

    /** Every bearer token by caller name; empty when authentication is off. */
    public Map<String, String> allTokens() {
        Map<String, String> all = new LinkedHashMap<>(authTokens);
        authToken.ifPresent(token -> all.put(DEFAULT_TOKEN_NAME, token));
        return all;
    }

    /** Reads the settings under {@value #ROOT} from a resolved configuration. */
    public static QueryServerSettings from(Config root) {
        ConfigSection config = ConfigSection.of(root, ROOT);
        ConfigSection query = config.section("query");
        String rowShape = query.getString("default-row-shape");
        QueryLimits limits = new QueryLimits(
                query.getInt("max-concurrent"),
                query.getDuration("retry-after"),
                query.getDuration("default-timeout"),
                query.getDuration("max-timeout"),
                query.getDuration("stream-timeout"),
                query.getInt("default-max-rows"),
                query.getInt("max-rows-limit"),
                intBytes(query, "max-body-size"),
                RowShape.parse(rowShape).orElseThrow(() -> query.invalid("default-row-shape",
                        "must be \"objects\" or \"arrays\", got \"" + rowShape + "\"")),
                new StatementLimits(query.getInt("max-statement-length"), query.getInt("max-statement-nesting")),
                query.getDuration("cancel-grace"));
        ConfigSection http = config.section("http");
        String token = config.getString("auth-token").strip();
        return new QueryServerSettings(
                config.getString("host"),
                config.getInt("port"),
                token.isEmpty() ? Optional.empty() : Optional.of(token),
                authTokens(config.stringMap("auth-tokens")),
                config.getString("store.staging-path"),
                config.getString("store.warehouse-path"),
                config.getString("store.live-path"),
                config.getDuration("store.refresh-interval"),
                config.getDuration("store.live-refresh-interval"),
                config.getBoolean("store.incremental-listing"),
                config.getInt("store.live-rows-on-driver"),
                limits,
                new ResultCacheSettings(query.getInt("result-cache.max-entries"),
                        intBytes(query, "result-cache.max-entry-size")),
                intBytes(config, "stream.chunk-size"),
                new HttpLimits(http.getInt("max-connections"), http.getDuration("idle-timeout")),
                new TlsSettings(http.getBoolean("tls.enabled"), http.getString("tls.key-store"),
                        http.getString("tls.key-store-password"), http.getDuration("tls.handshake-timeout")),
                ConsoleSettings.from(config.section("console")),
                // Read as a Config, not a ConfigSection map: a path must win over a quoted key (see sparkConf).
                sparkConf(root.getConfig(config.key("spark"))));
    }

    /** {@code auth-tokens { alice = "...", bob = ${?BOB_TOKEN} }}: empty values are left out. */
    private static Map<String, String> authTokens(Map<String, String> tokens) {
        Map<String, String> named = new LinkedHashMap<>();
        tokens.forEach((name, value) -> {
            String token = value.strip();
            if (name.equals(DEFAULT_TOKEN_NAME)) {
                throw SettingChecks.invalid(key("auth-tokens"), "must not name a token \"" + DEFAULT_TOKEN_NAME
                        + "\" (that is auth-token)");
            }
            if (!token.isEmpty()) {
                named.put(name, token);
            }
        });
        return named;
    }

    /**
     * Flattens {@code spark { "spark.a.b" = x }} (quoted key, as reference.conf writes them) and
     * {@code spark.spark.a.b = x} (a path, as {@code -Dquery-server.spark.spark.a.b=x} sets it) alike
     * to {@code spark.a.b}. When both name the same setting, the path wins: system properties cannot
     * quote keys, and they must override the file.
     */
    private static Map<String, String> sparkConf(Config spark) {
        Map<String, String> quoted = new LinkedHashMap<>();
        Map<String, String> paths = new LinkedHashMap<>();
        spark.entrySet().forEach(entry -> {
            List<String> parts = ConfigUtil.splitPath(entry.getKey());
            String key = String.join(".", parts);
            if (!key.startsWith("spark.")) {
                throw SettingChecks.invalid(key("spark"), "may only hold Spark settings (keys starting with"
                        + " \"spark.\"), got \"" + key + "\"");
            }
            (parts.size() == 1 ? quoted : paths).put(key, String.valueOf(entry.getValue().unwrapped()));
        });
        Map<String, String> conf = new LinkedHashMap<>(quoted);
        conf.putAll(paths);
        return conf;
    }

    /** A size that must fit an int (a buffer or array length): 1 byte to 2 GiB. */
    private static int intBytes(ConfigSection section, String key) {
        long bytes = section.getBytes(key);
        if (bytes < 1 || bytes > Integer.MAX_VALUE) {
            throw section.invalid(key, "must be between 1 byte and 2 GiB, got " + bytes);
        }
        return (int) bytes;
    }

    /** The full key of a setting of this section, as messages name it. */
    private static String key(String key) {
        return ROOT + "." + key;
    }
}
