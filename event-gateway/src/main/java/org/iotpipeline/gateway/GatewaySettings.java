package org.iotpipeline.gateway;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.iotpipeline.model.EventHorizon;

/**
 * The {@code event-gateway} section of the configuration, read once at start-up. Every key and its
 * default is documented in {@code reference.conf}; {@link #from(Config)} rejects values that would
 * break the gateway's promises (a 202 only for persisted events, a bounded answer time).
 *
 * @param host                 bind address
 * @param port                 bind port (0 picks a free one)
 * @param maxBodySize          largest body in bytes, before and after decompression
 * @param maxEventsPerRequest  most events in one request
 * @param maxInFlightEvents    most events validated but not yet answered, over all requests
 * @param maxConnections       most concurrent TCP connections
 * @param bodyReadTimeout      how long reading one body may take
 * @param requestHeaderTimeout how long a connection may take to deliver a whole request head, counted
 *                             from its opening or from the previous response
 * @param maxReportedViolations violations listed in one 400 at most (the rest are counted)
 * @param eventHorizon         how old and how far ahead a timestamp may be ({@code iot.events.*}, shared with the ETL)
 * @param retryAfter           the Retry-After of every 503
 * @param readyCacheTtl        how long a /ready answer is reused
 * @param shutdownDrainTimeout how long in-flight requests get on SIGTERM
 * @param benchmarkRoute       whether POST /bench/noop exists
 * @param kafka                where and how events are written
 * @param auth                 API keys
 * @param tls                  HTTPS
 */
public record GatewaySettings(
        String host,
        int port,
        long maxBodySize,
        int maxEventsPerRequest,
        int maxInFlightEvents,
        int maxConnections,
        Duration bodyReadTimeout,
        Duration requestHeaderTimeout,
        int maxReportedViolations,
        EventHorizon eventHorizon,
        Duration retryAfter,
        Duration readyCacheTtl,
        Duration shutdownDrainTimeout,
        boolean benchmarkRoute,
        Kafka kafka,
        Auth auth,
        Tls tls) {

    /** The root key of this module's configuration. */
    public static final String ROOT = "event-gateway";

    public GatewaySettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(eventHorizon, "eventHorizon is null");
        Objects.requireNonNull(auth, "auth is null");
        Objects.requireNonNull(tls, "tls is null");
        requirePositive("max-body-size", maxBodySize);
        requirePositive("max-reported-violations", maxReportedViolations);
        requirePositive("request-header-timeout", requestHeaderTimeout.toMillis());
        requirePositive("body-read-timeout", bodyReadTimeout.toMillis());
        requirePositive("max-events-per-request", maxEventsPerRequest);
        requirePositive("max-connections", maxConnections);
        if (maxInFlightEvents < maxEventsPerRequest) {
            throw new IllegalArgumentException(ROOT + ".max-in-flight-events (" + maxInFlightEvents
                    + ") must be at least max-events-per-request (" + maxEventsPerRequest
                    + "), or a full batch could never be accepted");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(ROOT + ".port must be in 0..65535, got " + port);
        }
        if (retryAfter.toSeconds() < 1) {
            throw new IllegalArgumentException(ROOT + ".retry-after must be at least 1s (Retry-After counts whole seconds)");
        }
    }

    /**
     * Kafka side of the settings.
     *
     * @param bootstrapServers the cluster
     * @param topic            the events topic
     * @param sendTimeout      the bound within which every request is answered once validated
     * @param readyTimeout     timeout of the /ready cluster check
     * @param producer         producer configs, passed through; acks=all and idempotence are enforced
     */
    public record Kafka(String bootstrapServers, String topic, Duration sendTimeout, Duration readyTimeout,
                        Map<String, String> producer) {

        public Kafka {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topic, "topic");
            producer = Map.copyOf(producer);
            String acks = producer.getOrDefault("acks", "all");
            if (!acks.equals("all") && !acks.equals("-1")) {
                throw new IllegalArgumentException(ROOT + ".kafka.producer.acks must be all, got " + acks
                        + ": the gateway answers 202 only for events every in-sync replica has");
            }
            if (!Boolean.parseBoolean(producer.getOrDefault("enable.idempotence", "true"))) {
                throw new IllegalArgumentException(ROOT + ".kafka.producer.enable.idempotence must be true:"
                        + " producer retries must not write an event twice or out of order");
            }
            if (sendTimeout.isNegative() || sendTimeout.isZero()) {
                throw new IllegalArgumentException(ROOT + ".kafka.send-timeout must be positive, got " + sendTimeout);
            }
        }

        /** A producer config as a number of milliseconds, or {@code fallback} if unset. */
        public long producerMillis(String key, long fallback) {
            String value = producer.get(key);
            return value == null ? fallback : Long.parseLong(value.trim());
        }
    }

    /**
     * API keys ({@code auth.*}).
     *
     * @param enabled         whether POST /events needs a key
     * @param keysFile        the key file the operator manages (see {@code auth.ApiKeyFile})
     * @param reloadInterval  how often the file is checked for changes
     * @param allowOpenAccess whether to start without keys on an address other than loopback
     */
    public record Auth(boolean enabled, Path keysFile, Duration reloadInterval, boolean allowOpenAccess) {

        public Auth {
            Objects.requireNonNull(keysFile, "keysFile is null");
            Objects.requireNonNull(reloadInterval, "reloadInterval is null");
            requirePositive("auth.reload-interval", reloadInterval.toMillis());
        }
    }

    /**
     * HTTPS ({@code tls.*}).
     *
     * @param enabled          whether the port speaks HTTPS instead of HTTP
     * @param keyStore         PKCS12 file with the server's private key and certificate chain
     * @param keyStorePassword its password (also the key's)
     */
    public record Tls(boolean enabled, Path keyStore, String keyStorePassword) {

        public Tls {
            Objects.requireNonNull(keyStore, "keyStore is null");
            Objects.requireNonNull(keyStorePassword, "keyStorePassword is null");
            if (enabled && keyStore.toString().isEmpty()) {
                throw new IllegalArgumentException(ROOT + ".tls.key-store must name a PKCS12 file when tls.enabled is on");
            }
        }

        @Override
        public String toString() {
            return "Tls[enabled=" + enabled + ", keyStore=" + keyStore + ", keyStorePassword=***]";
        }
    }

    /** Reads the settings under {@value #ROOT} from a loaded configuration. */
    public static GatewaySettings from(Config root) {
        Config config = root.getConfig(ROOT);
        Config kafka = config.getConfig("kafka");
        return new GatewaySettings(
                config.getString("host"),
                config.getInt("port"),
                config.getBytes("max-body-size"),
                config.getInt("max-events-per-request"),
                config.getInt("max-in-flight-events"),
                config.getInt("max-connections"),
                config.getDuration("body-read-timeout"),
                config.getDuration("request-header-timeout"),
                config.getInt("max-reported-violations"),
                new EventHorizon(root.getDuration("iot.events.max-event-age"),
                        root.getDuration("iot.events.max-future-skew")),
                config.getDuration("retry-after"),
                config.getDuration("ready-cache-ttl"),
                config.getDuration("shutdown-drain-timeout"),
                config.getBoolean("benchmark-route"),
                new Kafka(
                        kafka.getString("bootstrap-servers"),
                        kafka.getString("topic"),
                        kafka.getDuration("send-timeout"),
                        kafka.getDuration("ready-timeout"),
                        flatten(kafka.getConfig("producer"))),
                new Auth(
                        config.getBoolean("auth.enabled"),
                        Path.of(config.getString("auth.keys-file")),
                        config.getDuration("auth.reload-interval"),
                        config.getBoolean("auth.allow-open-access")),
                new Tls(
                        config.getBoolean("tls.enabled"),
                        Path.of(config.getString("tls.key-store")),
                        config.getString("tls.key-store-password")));
    }

    /** The settings of {@code reference.conf} (plus system properties), for tests and tools. */
    public static GatewaySettings load() {
        return from(ConfigFactory.load());
    }

    /** A copy bound to another port. */
    public GatewaySettings withPort(int newPort) {
        return new GatewaySettings(host, newPort, maxBodySize, maxEventsPerRequest, maxInFlightEvents, maxConnections,
                bodyReadTimeout, requestHeaderTimeout, maxReportedViolations, eventHorizon, retryAfter, readyCacheTtl,
                shutdownDrainTimeout, benchmarkRoute, kafka, auth, tls);
    }

    /**
     * akka settings that follow from ours: coordinated-shutdown phases long enough for the drain
     * and the producer flush, so SIGTERM does not cut them short.
     */
    public Config akkaOverrides() {
        Duration producerClose = kafka.sendTimeout().plusSeconds(2);
        return ConfigFactory.parseMap(Map.of(
                "akka.coordinated-shutdown.phases.service-requests-done.timeout",
                (shutdownDrainTimeout.toMillis() + 2000) + "ms",
                "akka.coordinated-shutdown.phases.service-stop.timeout", producerClose.toMillis() + "ms"));
    }

    // Producer configs are dotted names; written unquoted in HOCON they become nested objects, so
    // both "linger.ms" = 5 and linger.ms = 5 (linger { ms = 5 }) end up as the key linger.ms.
    private static Map<String, String> flatten(Config producer) {
        Map<String, String> flat = new LinkedHashMap<>();
        producer.entrySet().forEach(entry -> flat.put(
                String.join(".", ConfigUtil.splitPath(entry.getKey())),
                String.valueOf(entry.getValue().unwrapped())));
        return flat;
    }

    private static void requirePositive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(ROOT + "." + key + " must be positive, got " + value);
        }
    }
}
