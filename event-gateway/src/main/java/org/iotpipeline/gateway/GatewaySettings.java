package org.iotpipeline.gateway;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.iotpipeline.config.ConfigSection;
import org.iotpipeline.config.SettingChecks;
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
        SettingChecks.text(key("host"), host);
        SettingChecks.portOrAny(key("port"), port);
        SettingChecks.atLeast(key("max-body-size"), maxBodySize, 1);
        SettingChecks.atLeast(key("max-events-per-request"), maxEventsPerRequest, 1);
        SettingChecks.atLeast(key("max-connections"), maxConnections, 1);
        SettingChecks.positive(key("body-read-timeout"), bodyReadTimeout);
        SettingChecks.positive(key("request-header-timeout"), requestHeaderTimeout);
        SettingChecks.atLeast(key("max-reported-violations"), maxReportedViolations, 1);
        Objects.requireNonNull(eventHorizon, "eventHorizon is null");
        SettingChecks.notNegative(key("ready-cache-ttl"), readyCacheTtl);
        SettingChecks.notNegative(key("shutdown-drain-timeout"), shutdownDrainTimeout);
        Objects.requireNonNull(kafka, "kafka is null");
        Objects.requireNonNull(auth, "auth is null");
        Objects.requireNonNull(tls, "tls is null");
        if (maxInFlightEvents < maxEventsPerRequest) {
            throw SettingChecks.invalid(key("max-in-flight-events"), "(" + maxInFlightEvents
                    + ") must be at least max-events-per-request (" + maxEventsPerRequest
                    + "), or a full batch could never be accepted");
        }
        if (Objects.requireNonNull(retryAfter, "retryAfter is null").toSeconds() < 1) {
            throw SettingChecks.invalid(key("retry-after"), "must be at least 1s (Retry-After counts whole seconds), got "
                    + retryAfter);
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
            SettingChecks.text(key("kafka.bootstrap-servers"), bootstrapServers);
            SettingChecks.text(key("kafka.topic"), topic);
            SettingChecks.positive(key("kafka.send-timeout"), sendTimeout);
            SettingChecks.positive(key("kafka.ready-timeout"), readyTimeout);
            producer = Map.copyOf(Objects.requireNonNull(producer, "producer is null"));
            String acks = producer.getOrDefault("acks", "all");
            if (!acks.equals("all") && !acks.equals("-1")) {
                throw SettingChecks.invalid(key("kafka.producer.acks"), "must be all, got " + acks
                        + ": the gateway answers 202 only for events every in-sync replica has");
            }
            if (!Boolean.parseBoolean(producer.getOrDefault("enable.idempotence", "true"))) {
                throw SettingChecks.invalid(key("kafka.producer.enable.idempotence"), "must be true:"
                        + " producer retries must not write an event twice or out of order");
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
            SettingChecks.positive(key("auth.reload-interval"), reloadInterval);
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
                throw SettingChecks.invalid(key("tls.key-store"), "must name a PKCS12 file when tls.enabled is on");
            }
        }

        @Override
        public String toString() {
            return "Tls[enabled=" + enabled + ", keyStore=" + keyStore + ", keyStorePassword=***]";
        }
    }

    /** Reads the settings under {@value #ROOT} from a loaded configuration. */
    public static GatewaySettings from(Config root) {
        ConfigSection config = ConfigSection.of(root, ROOT);
        ConfigSection kafka = config.section("kafka");
        ConfigSection events = ConfigSection.of(root, "iot.events");
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
                new EventHorizon(events.getDuration("max-event-age"), events.getDuration("max-future-skew")),
                config.getDuration("retry-after"),
                config.getDuration("ready-cache-ttl"),
                config.getDuration("shutdown-drain-timeout"),
                config.getBoolean("benchmark-route"),
                new Kafka(
                        kafka.getString("bootstrap-servers"),
                        kafka.getString("topic"),
                        kafka.getDuration("send-timeout"),
                        kafka.getDuration("ready-timeout"),
                        kafka.stringMap("producer")),
                new Auth(
                        config.getBoolean("auth.enabled"),
                        config.getPath("auth.keys-file"),
                        config.getDuration("auth.reload-interval"),
                        config.getBoolean("auth.allow-open-access")),
                new Tls(
                        config.getBoolean("tls.enabled"),
                        config.getPath("tls.key-store"),
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

    /** The full key of a setting of this section, as messages name it. */
    private static String key(String key) {
        return ROOT + "." + key;
    }
}
