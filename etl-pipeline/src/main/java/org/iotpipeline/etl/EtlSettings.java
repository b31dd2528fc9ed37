package org.iotpipeline.etl;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.iotpipeline.etl.compaction.CompactionSettings;
import org.iotpipeline.etl.compaction.StorePaths;
import org.iotpipeline.model.EventHorizon;

/**
 * The {@code etl-pipeline} section of the configuration, read and checked once at start-up. Every
 * key, its default and its meaning are in {@code reference.conf} and the module README.
 *
 * @param kafka                 where events come from
 * @param window                length of the tumbling event-time windows
 * @param watermarkLateness     how far behind the newest event time a window becomes final (later events still count, as late rows)
 * @param triggerInterval       micro-batch interval of both streaming queries
 * @param dedupe                whether (deviceId, metricId, timestamp) duplicates count once
 * @param dedupeWindow          how long after reading an event a copy of it is recognised as a duplicate
 * @param horizon               oldest / newest event time accepted, against the record's Kafka timestamp ({@code iot.events.*})
 * @param idleTimeout           quiet time after which a heartbeat closes the open windows
 * @param filesPerHour          upper bound of Parquet files per hour partition per micro-batch
 * @param commitMarkersToRetain commit markers kept per output
 * @param paths                 staging, checkpoint and dead-letter locations (Hadoop URIs)
 * @param admin                 admin HTTP endpoint
 * @param spark                 master and passthrough Spark configuration
 * @param compaction            compaction of closed staging hours into the warehouse, run on a schedule
 */
public record EtlSettings(
        Kafka kafka,
        Duration window,
        Duration watermarkLateness,
        Duration triggerInterval,
        boolean dedupe,
        Duration dedupeWindow,
        EventHorizon horizon,
        Duration idleTimeout,
        int filesPerHour,
        int commitMarkersToRetain,
        Paths paths,
        Admin admin,
        Spark spark,
        CompactionSettings compaction) {

    /** The configuration root of this module. */
    public static final String ROOT = "etl-pipeline";

    public EtlSettings {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(compaction, "compaction");
        Objects.requireNonNull(horizon, "horizon is null");
        requirePositive(window, "window");
        requirePositive(dedupeWindow, "dedupe-window");
        requirePositive(triggerInterval, "trigger-interval");
        requirePositive(idleTimeout, "idle-timeout");
        if (watermarkLateness == null || watermarkLateness.isNegative()) {
            throw invalid("watermark-lateness", "must not be negative, got " + watermarkLateness);
        }
        if (window.toMillis() == 0 || window.toNanos() % 1_000_000 != 0) {
            throw invalid("window", "must be a whole number of milliseconds, got " + window);
        }
        if (filesPerHour < 1) {
            throw invalid("files-per-hour", "must be at least 1, got " + filesPerHour);
        }
        if (commitMarkersToRetain < 1) {
            throw invalid("commit-markers-to-retain", "must be at least 1, got " + commitMarkersToRetain);
        }
    }

    /** Reads {@code etl-pipeline} from a resolved configuration (e.g. {@code ConfigFactory.load()}). */
    public static EtlSettings from(Config root) {
        Config c = root.getConfig(ROOT);
        return new EtlSettings(
                Kafka.from(c.getConfig("kafka")),
                c.getDuration("window"),
                c.getDuration("watermark-lateness"),
                c.getDuration("trigger-interval"),
                c.getBoolean("dedupe"),
                c.getDuration("dedupe-window"),
                new EventHorizon(root.getDuration("iot.events.max-event-age"), root.getDuration("iot.events.max-future-skew")),
                c.getDuration("idle-timeout"),
                c.getInt("files-per-hour"),
                c.getInt("commit-markers-to-retain"),
                new Paths(c.getString("paths.staging"), c.getString("paths.warehouse"), c.getString("paths.live"),
                        c.getString("paths.checkpoint"), c.getString("paths.dead-letters")),
                new Admin(c.getString("admin.host"), c.getInt("admin.port")),
                new Spark(c.getString("spark.master"), c.getString("spark.app-name"),
                        flatStrings(c.getConfig("spark.conf"), "spark.conf", true)),
                CompactionSettings.fromConfig(root));
    }

    /**
     * Kafka side.
     *
     * @param maxOffsetsPerTrigger 0 = unbounded
     * @param sourceOptions        extra options for Spark's Kafka source, as given
     */
    public record Kafka(String bootstrapServers, String topic, String heartbeatTopic, String startingOffsets,
                        long maxOffsetsPerTrigger, Map<String, String> sourceOptions) {
        public Kafka {
            requireText(bootstrapServers, "kafka.bootstrap-servers");
            requireText(topic, "kafka.topic");
            requireText(startingOffsets, "kafka.starting-offsets");
            heartbeatTopic = heartbeatTopic == null || heartbeatTopic.isBlank() ? topic + "_heartbeats" : heartbeatTopic;
            if (heartbeatTopic.equals(topic)) {
                throw invalid("kafka.heartbeat-topic", "must differ from kafka.topic (" + topic + ")");
            }
            if (maxOffsetsPerTrigger < 0) {
                throw invalid("kafka.max-offsets-per-trigger", "must be 0 (no bound) or positive, got " + maxOffsetsPerTrigger);
            }
            sourceOptions = Map.copyOf(sourceOptions);
        }

        /**
         * Client properties for our own Kafka clients (the heartbeat producer and admin), taken
         * from the {@code kafka.}-prefixed source options, so security settings given for the
         * source apply to them too.
         */
        public Map<String, Object> clientProperties() {
            Map<String, Object> properties = new LinkedHashMap<>();
            sourceOptions.forEach((key, value) -> {
                if (key.startsWith("kafka.")) {
                    properties.put(key.substring("kafka.".length()), value);
                }
            });
            properties.put("bootstrap.servers", bootstrapServers);
            return properties;
        }

        static Kafka from(Config c) {
            return new Kafka(c.getString("bootstrap-servers"), c.getString("topic"), c.getString("heartbeat-topic"),
                    c.getString("starting-offsets"), c.getLong("max-offsets-per-trigger"),
                    flatStrings(c.getConfig("source-options"), "kafka.source-options", false));
        }
    }

    /** Hadoop FileSystem URIs or paths relative to the working directory. */
    public record Paths(String staging, String warehouse, String live, String checkpoint, String deadLetters) {
        public Paths {
            requireText(staging, "paths.staging");
            requireText(warehouse, "paths.warehouse");
            requireText(live, "paths.live");
            requireText(checkpoint, "paths.checkpoint");
            requireText(deadLetters, "paths.dead-letters");
        }

        /** The two roots of table measurements, as the compactor opens them. */
        public StorePaths store() {
            return new StorePaths(staging, warehouse);
        }

        /** Checkpoint of the measurements query. */
        public String measurementsCheckpoint() {
            return checkpoint + "/measurements";
        }

        /** Checkpoint of the dead-letter query. */
        public String deadLettersCheckpoint() {
            return checkpoint + "/dead-letters";
        }

        /** Where the last progress is kept across restarts (our file, not Spark's). */
        public String progressFile() {
            return checkpoint + "/progress.json";
        }
    }

    /** Admin HTTP endpoint; port 0 picks a free port (tests). */
    public record Admin(String host, int port) {
        public Admin {
            requireText(host, "admin.host");
            if (port < 0 || port > 65535) {
                throw invalid("admin.port", "must be in 0..65535, got " + port);
            }
        }
    }

    /** Spark master and {@code spark.*} passthrough configuration. */
    public record Spark(String master, String appName, Map<String, String> conf) {
        public Spark {
            requireText(master, "spark.master");
            requireText(appName, "spark.app-name");
            conf = Map.copyOf(conf);
        }
    }

    private static Map<String, String> flatStrings(Config c, String where, boolean sparkKeysOnly) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : c.entrySet()) {
            // Keys such as "spark.sql.shuffle.partitions" are quoted in HOCON; entrySet gives them back quoted.
            String key = entry.getKey().replace("\"", "");
            if (sparkKeysOnly && !key.startsWith("spark.")) {
                throw invalid(where + "." + key, "only spark.* keys are accepted here");
            }
            out.put(key, String.valueOf(entry.getValue().unwrapped()));
        }
        return out;
    }

    private static void requirePositive(Duration d, String key) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw invalid(key, "must be positive, got " + d);
        }
    }

    private static void requireText(String s, String key) {
        if (s == null || s.isBlank()) {
            throw invalid(key, "must not be empty");
        }
    }

    private static IllegalArgumentException invalid(String key, String reason) {
        return new IllegalArgumentException(ROOT + "." + key + " " + reason);
    }
}
