package org.iotpipeline.etl;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.iotpipeline.config.ConfigSection;
import org.iotpipeline.config.SettingChecks;
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
 * @param triggerInterval       micro-batch interval of the measurements query (how fresh the live area is)
 * @param deadLettersTriggerInterval micro-batch interval of the dead-letters query
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
        Duration deadLettersTriggerInterval,
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
        Objects.requireNonNull(kafka, "kafka is null");
        SettingChecks.positive(key("window"), window);
        if (window.toNanos() % 1_000_000 != 0) {
            throw SettingChecks.invalid(key("window"), "must be a whole number of milliseconds, got " + window);
        }
        SettingChecks.notNegative(key("watermark-lateness"), watermarkLateness);
        SettingChecks.positive(key("trigger-interval"), triggerInterval);
        SettingChecks.positive(key("dead-letters-trigger-interval"), deadLettersTriggerInterval);
        SettingChecks.positive(key("dedupe-window"), dedupeWindow);
        Objects.requireNonNull(horizon, "horizon is null");
        SettingChecks.positive(key("idle-timeout"), idleTimeout);
        SettingChecks.atLeast(key("files-per-hour"), filesPerHour, 1);
        SettingChecks.atLeast(key("commit-markers-to-retain"), commitMarkersToRetain, 1);
        Objects.requireNonNull(paths, "paths is null");
        Objects.requireNonNull(admin, "admin is null");
        Objects.requireNonNull(spark, "spark is null");
        Objects.requireNonNull(compaction, "compaction is null");
    }

    /** Reads {@code etl-pipeline} from a resolved configuration (e.g. {@code ConfigFactory.load()}). */
    public static EtlSettings from(Config root) {
        ConfigSection c = ConfigSection.of(root, ROOT);
        ConfigSection events = ConfigSection.of(root, "iot.events");
        return new EtlSettings(
                Kafka.from(c.section("kafka")),
                c.getDuration("window"),
                c.getDuration("watermark-lateness"),
                c.getDuration("trigger-interval"),
                c.getDuration("dead-letters-trigger-interval"),
                c.getBoolean("dedupe"),
                c.getDuration("dedupe-window"),
                new EventHorizon(events.getDuration("max-event-age"), events.getDuration("max-future-skew")),
                c.getDuration("idle-timeout"),
                c.getInt("files-per-hour"),
                c.getInt("commit-markers-to-retain"),
                new Paths(c.getString("paths.staging"), c.getString("paths.warehouse"), c.getString("paths.live"),
                        c.getString("paths.checkpoint"), c.getString("paths.dead-letters")),
                new Admin(c.getString("admin.host"), c.getInt("admin.port")),
                new Spark(c.getString("spark.master"), c.getString("spark.app-name"), sparkConf(c)),
                CompactionSettings.fromConfig(root));
    }

    /**
     * Kafka side.
     *
     * @param maxOffsetsPerTrigger 0 = unbounded
     * @param fetchMaxWait         the source's {@code kafka.fetch.max.wait.ms} unless source options set it
     * @param sourceOptions        extra options for Spark's Kafka source, as given
     */
    public record Kafka(String bootstrapServers, String topic, String heartbeatTopic, String startingOffsets,
                        long maxOffsetsPerTrigger, Duration fetchMaxWait, Map<String, String> sourceOptions) {
        private static final Duration MAX_FETCH_WAIT = Duration.ofSeconds(30);

        public Kafka {
            SettingChecks.text(key("kafka.bootstrap-servers"), bootstrapServers);
            SettingChecks.text(key("kafka.topic"), topic);
            heartbeatTopic = heartbeatTopic == null || heartbeatTopic.isBlank() ? topic + "_heartbeats" : heartbeatTopic;
            if (heartbeatTopic.equals(topic)) {
                throw SettingChecks.invalid(key("kafka.heartbeat-topic"), "must differ from kafka.topic (" + topic + ")");
            }
            SettingChecks.text(key("kafka.starting-offsets"), startingOffsets);
            SettingChecks.atLeast(key("kafka.max-offsets-per-trigger"), maxOffsetsPerTrigger, 0);
            SettingChecks.positive(key("kafka.fetch-max-wait"), fetchMaxWait);
            if (fetchMaxWait.compareTo(MAX_FETCH_WAIT) > 0) {
                throw SettingChecks.invalid(key("kafka.fetch-max-wait"), "must be at most " + MAX_FETCH_WAIT
                        + " (every task reading the end of a partition can wait this long), got " + fetchMaxWait);
            }
            sourceOptions = Map.copyOf(Objects.requireNonNull(sourceOptions, "sourceOptions is null"));
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

        static Kafka from(ConfigSection c) {
            return new Kafka(c.getString("bootstrap-servers"), c.getString("topic"), c.getString("heartbeat-topic"),
                    c.getString("starting-offsets"), c.getLong("max-offsets-per-trigger"), c.getDuration("fetch-max-wait"),
                    c.stringMap("source-options"));
        }
    }

    /** Hadoop FileSystem URIs or paths relative to the working directory. */
    public record Paths(String staging, String warehouse, String live, String checkpoint, String deadLetters) {
        public Paths {
            SettingChecks.text(key("paths.staging"), staging);
            SettingChecks.text(key("paths.warehouse"), warehouse);
            SettingChecks.text(key("paths.live"), live);
            SettingChecks.text(key("paths.checkpoint"), checkpoint);
            SettingChecks.text(key("paths.dead-letters"), deadLetters);
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
            SettingChecks.text(key("admin.host"), host);
            SettingChecks.portOrAny(key("admin.port"), port);
        }
    }

    /** Spark master and {@code spark.*} passthrough configuration. */
    public record Spark(String master, String appName, Map<String, String> conf) {
        public Spark {
            SettingChecks.text(key("spark.master"), master);
            SettingChecks.text(key("spark.app-name"), appName);
            conf = Map.copyOf(Objects.requireNonNull(conf, "conf is null"));
        }
    }

    /** {@code spark.conf}: only {@code spark.*} keys, so a typo cannot pass silently as a Spark setting. */
    private static Map<String, String> sparkConf(ConfigSection c) {
        Map<String, String> conf = c.stringMap("spark.conf");
        conf.keySet().stream().filter(name -> !name.startsWith("spark.")).findFirst().ifPresent(name -> {
            throw c.invalid("spark.conf." + name, "only spark.* keys are accepted here");
        });
        return conf;
    }

    /** The full key of a setting of this section, as messages name it. */
    private static String key(String key) {
        return ROOT + "." + key;
    }
}
