package org.iotpipeline.query;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.iotpipeline.query.execution.QueryLimits;
import org.iotpipeline.query.json.RowShape;

/**
 * The {@code query-server} section of the configuration, read once at start-up. Every key and its
 * default is documented in {@code reference.conf}.
 *
 * @param host            address the HTTP API binds to
 * @param port            port of the HTTP API (0 = any free port)
 * @param authToken       bearer token the query endpoints require, if any
 * @param stagingPath     root of the staging tree (Hadoop FS URI or local path)
 * @param warehousePath   root of the warehouse tree
 * @param livePath        root of the live area (the ETL's open windows and latest readings)
 * @param refreshInterval how old the store listing may get before a query re-lists it
 * @param limits          per-query limits and defaults
 * @param streamChunkBytes largest chunk of a streamed answer
 * @param sparkConf       Spark configuration passed through to the session
 */
public record QueryServerSettings(String host, int port, Optional<String> authToken, String stagingPath,
                                  String warehousePath, String livePath, Duration refreshInterval, QueryLimits limits,
                                  int streamChunkBytes, Map<String, String> sparkConf) {

    public static final String ROOT = "query-server";
    /** Config path of the dispatcher that runs blocking reads of streamed results. */
    public static final String BLOCKING_DISPATCHER = ROOT + ".blocking-dispatcher";

    public QueryServerSettings {
        sparkConf = Map.copyOf(sparkConf);
    }

    public static QueryServerSettings from(Config root) {
        Config config = root.getConfig(ROOT);
        String token = config.getString("auth-token").strip();
        Config query = config.getConfig("query");
        QueryLimits limits = new QueryLimits(
                query.getInt("max-concurrent"),
                query.getDuration("retry-after"),
                query.getDuration("default-timeout"),
                query.getDuration("max-timeout"),
                query.getDuration("stream-timeout"),
                query.getInt("default-max-rows"),
                query.getInt("max-rows-limit"),
                toIntBytes(query, "max-body-size", ROOT + ".query.max-body-size"),
                RowShape.parse(query.getString("default-row-shape")).orElseThrow(() -> new IllegalArgumentException(
                        ROOT + ".query.default-row-shape must be \"objects\" or \"arrays\", got \""
                                + query.getString("default-row-shape") + "\"")));
        Duration refresh = config.getDuration("store.refresh-interval");
        if (refresh.isNegative()) {
            throw new IllegalArgumentException(ROOT + ".store.refresh-interval must not be negative, got " + refresh);
        }
        return new QueryServerSettings(
                config.getString("host"),
                config.getInt("port"),
                token.isEmpty() ? Optional.empty() : Optional.of(token),
                config.getString("store.staging-path"),
                config.getString("store.warehouse-path"),
                config.getString("store.live-path"),
                refresh,
                limits,
                toIntBytes(config, "stream.chunk-size", ROOT + ".stream.chunk-size"),
                sparkConf(config.getConfig("spark")));
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
                throw new IllegalArgumentException(ROOT + ".spark may only hold Spark settings (keys starting with"
                        + " \"spark.\"), got \"" + key + "\"");
            }
            (parts.size() == 1 ? quoted : paths).put(key, String.valueOf(entry.getValue().unwrapped()));
        });
        Map<String, String> conf = new LinkedHashMap<>(quoted);
        conf.putAll(paths);
        return conf;
    }

    private static int toIntBytes(Config config, String path, String fullPath) {
        long bytes = config.getBytes(path);
        if (bytes < 1 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(fullPath + " must be between 1 byte and 2 GiB, got " + bytes);
        }
        return (int) bytes;
    }
}
