package org.iotpipeline.etl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.iotpipeline.config.ReferenceConfig;
import org.iotpipeline.etl.compaction.CompactionSettings;
import org.iotpipeline.etl.compaction.Retention;
import org.iotpipeline.model.EventHorizon;
import org.junit.jupiter.api.Test;

class EtlSettingsTest {

    /** Compaction's defaults; every key of etl-pipeline.compaction is tested in CompactionSettingsTest. */
    private static final CompactionSettings COMPACTION = new CompactionSettings(true, Duration.ofMinutes(5),
            Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(2), 128L << 20, 128L << 20, "zstd",
            Duration.ofMinutes(10), true, Retention.KEEP_EVERYTHING);

    @Test
    void everyDefault() {
        EtlSettings settings = load(Map.of());

        assertThat(settings).isEqualTo(new EtlSettings(
                new EtlSettings.Kafka("127.0.0.1:9092", "iot_device_events", "iot_device_events_heartbeats", "earliest",
                        1_000_000, Duration.ofMillis(20), Map.of()),
                Duration.ofMinutes(5),
                Duration.ofMinutes(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(30),
                true,
                Duration.ofMinutes(10),
                new EventHorizon(Duration.ofDays(7), Duration.ofMinutes(5)),
                Duration.ofSeconds(30),
                1,
                1000,
                new EtlSettings.Paths("data/staging/measurements", "data/warehouse/measurements", "data/live",
                        "data/checkpoints/etl", "data/dead-letters"),
                new EtlSettings.Admin("127.0.0.1", 8081),
                new EtlSettings.Spark("local[*]", "iot-etl", Map.of(
                        "spark.sql.shuffle.partitions", "4",
                        "spark.ui.enabled", "false",
                        "spark.sql.streaming.stateStore.providerClass",
                        "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider",
                        "spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled", "true",
                        "spark.hadoop.fs.file.impl", "org.iotpipeline.store.localfs.ForklessLocalFileSystem",
                        "spark.hadoop.fs.AbstractFileSystem.file.impl", "org.iotpipeline.store.localfs.ForklessLocalFs")),
                COMPACTION));
        assertThat(settings.paths().measurementsCheckpoint()).isEqualTo("data/checkpoints/etl/measurements");
    }

    @Test
    void everyKeyOverridden() {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("etl-pipeline.kafka.bootstrap-servers", "kafka-1:9092,kafka-2:9092");
        overrides.put("etl-pipeline.kafka.topic", "events");
        overrides.put("etl-pipeline.kafka.heartbeat-topic", "events_idle");
        overrides.put("etl-pipeline.kafka.starting-offsets", "latest");
        overrides.put("etl-pipeline.kafka.max-offsets-per-trigger", 0);
        overrides.put("etl-pipeline.kafka.fetch-max-wait", "250ms");
        overrides.put("etl-pipeline.window", "1m");
        overrides.put("etl-pipeline.watermark-lateness", "0s");
        overrides.put("etl-pipeline.trigger-interval", "3s");
        overrides.put("etl-pipeline.dead-letters-trigger-interval", "1m");
        overrides.put("etl-pipeline.dedupe", false);
        overrides.put("etl-pipeline.dedupe-window", "1h");
        overrides.put("etl-pipeline.idle-timeout", "90s");
        overrides.put("etl-pipeline.files-per-hour", 4);
        overrides.put("etl-pipeline.commit-markers-to-retain", 50);
        overrides.put("etl-pipeline.paths.staging", "s3a://bucket/staging");
        overrides.put("etl-pipeline.paths.warehouse", "s3a://bucket/warehouse");
        overrides.put("etl-pipeline.paths.live", "hdfs://nn/live");
        overrides.put("etl-pipeline.paths.checkpoint", "hdfs://nn/checkpoints");
        overrides.put("etl-pipeline.paths.dead-letters", "hdfs://nn/dead-letters");
        overrides.put("etl-pipeline.admin.host", "0.0.0.0");
        overrides.put("etl-pipeline.admin.port", 0);
        overrides.put("etl-pipeline.spark.master", "spark://master:7077");
        overrides.put("etl-pipeline.spark.app-name", "etl-prod");
        overrides.put("etl-pipeline.spark.conf.\"spark.sql.shuffle.partitions\"", 16);
        overrides.put("etl-pipeline.spark.conf.\"spark.ui.enabled\"", true);
        overrides.put("etl-pipeline.spark.conf.\"spark.sql.streaming.stateStore.providerClass\"",
                "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider");
        overrides.put("etl-pipeline.spark.conf.\"spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled\"",
                false);
        overrides.put("etl-pipeline.spark.conf.\"spark.hadoop.fs.file.impl\"", "org.apache.hadoop.fs.LocalFileSystem");
        overrides.put("etl-pipeline.spark.conf.\"spark.hadoop.fs.AbstractFileSystem.file.impl\"",
                "org.apache.hadoop.fs.local.LocalFs");
        overrides.put("iot.events.max-event-age", "3d");
        overrides.put("iot.events.max-future-skew", "30s");

        assertThat(overrides.keySet()).as("every key of reference.conf but compaction's, and only those")
                .containsExactlyInAnyOrderElementsOf(keysOutsideCompaction());
        assertThat(ReferenceConfig.unchanged(overrides)).as("overrides equal to the default").isEmpty();
        assertThat(EtlSettings.from(ReferenceConfig.with(overrides))).isEqualTo(new EtlSettings(
                new EtlSettings.Kafka("kafka-1:9092,kafka-2:9092", "events", "events_idle", "latest", 0,
                        Duration.ofMillis(250), Map.of()),
                Duration.ofMinutes(1),
                Duration.ZERO,
                Duration.ofSeconds(3),
                Duration.ofMinutes(1),
                false,
                Duration.ofHours(1),
                new EventHorizon(Duration.ofDays(3), Duration.ofSeconds(30)),
                Duration.ofSeconds(90),
                4,
                50,
                new EtlSettings.Paths("s3a://bucket/staging", "s3a://bucket/warehouse", "hdfs://nn/live",
                        "hdfs://nn/checkpoints", "hdfs://nn/dead-letters"),
                new EtlSettings.Admin("0.0.0.0", 0),
                new EtlSettings.Spark("spark://master:7077", "etl-prod", Map.of(
                        "spark.sql.shuffle.partitions", "16",
                        "spark.ui.enabled", "true",
                        "spark.sql.streaming.stateStore.providerClass",
                        "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider",
                        "spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled", "false",
                        "spark.hadoop.fs.file.impl", "org.apache.hadoop.fs.LocalFileSystem",
                        "spark.hadoop.fs.AbstractFileSystem.file.impl", "org.apache.hadoop.fs.local.LocalFs")),
                COMPACTION));
    }

    @Test
    void sparkKeysMayBeQuotedOrNestedAndOnlySparkKeysAreAccepted() {
        EtlSettings s = EtlSettings.from(ConfigFactory.parseString(
                "etl-pipeline.spark.conf { \"spark.sql.shuffle.partitions\" = 8, spark.executor.memory = 2g }")
                .withFallback(ReferenceConfig.defaults()).resolve());
        assertThat(s.spark().conf()).containsEntry("spark.sql.shuffle.partitions", "8")
                .containsEntry("spark.executor.memory", "2g");

        assertThatThrownBy(() -> EtlSettings.from(ConfigFactory.parseString("etl-pipeline.spark.conf { foo = 1 }")
                .withFallback(ReferenceConfig.defaults()).resolve()))
                .hasMessage("etl-pipeline.spark.conf.foo only spark.* keys are accepted here");
    }

    @Test
    void kafkaPrefixedSourceOptionsAlsoConfigureOurOwnKafkaClients() {
        EtlSettings s = EtlSettings.from(ConfigFactory.parseString("etl-pipeline.kafka.source-options { "
                        + "\"kafka.security.protocol\" = SASL_SSL, failOnDataLoss = false }")
                .withFallback(ReferenceConfig.defaults()).resolve());

        assertThat(s.kafka().sourceOptions()).containsOnly(
                Map.entry("kafka.security.protocol", "SASL_SSL"), Map.entry("failOnDataLoss", "false"));
        assertThat(s.kafka().clientProperties()).containsOnly(
                Map.entry("security.protocol", "SASL_SSL"), Map.entry("bootstrap.servers", "127.0.0.1:9092"));
    }

    @Test
    void invalidValuesAreRejectedNamingTheKey() {
        assertThatThrownBy(() -> load(Map.of("files-per-hour", 0)))
                .hasMessage("etl-pipeline.files-per-hour must be at least 1, got 0");
        assertThatThrownBy(() -> load(Map.of("window", "0 s")))
                .hasMessage("etl-pipeline.window must be positive, got PT0S");
        assertThatThrownBy(() -> load(Map.of("window", "1500us")))
                .hasMessage("etl-pipeline.window must be a whole number of milliseconds, got PT0.0015S");
        assertThatThrownBy(() -> load(Map.of("kafka.heartbeat-topic", "iot_device_events")))
                .hasMessage("etl-pipeline.kafka.heartbeat-topic must differ from kafka.topic (iot_device_events)");
        assertThatThrownBy(() -> load(Map.of("kafka.fetch-max-wait", "0 ms")))
                .hasMessage("etl-pipeline.kafka.fetch-max-wait must be positive, got PT0S");
        assertThatThrownBy(() -> load(Map.of("kafka.fetch-max-wait", "1 minute")))
                .hasMessageStartingWith("etl-pipeline.kafka.fetch-max-wait must be at most PT30S");
        assertThatThrownBy(() -> load(Map.of("admin.port", 70000)))
                .hasMessage("etl-pipeline.admin.port must be in 0..65535 (0 = any free port), got 70000");
        assertThatThrownBy(() -> load(Map.of("paths.live", " ")))
                .hasMessage("etl-pipeline.paths.live must not be empty");
        assertThatThrownBy(() -> load(Map.of("dedupe", "maybe")))
                .hasMessageStartingWith("etl-pipeline.dedupe has a value of the wrong type");
    }

    private static Set<String> keysOutsideCompaction() {
        return ReferenceConfig.keysUnder(EtlSettings.ROOT, "iot.events").stream()
                .filter(key -> !key.startsWith(CompactionSettings.PATH + "."))
                .collect(Collectors.toSet());
    }

    private static EtlSettings load(Map<String, Object> overrides) {
        Map<String, Object> prefixed = new HashMap<>();
        overrides.forEach((k, v) -> prefixed.put(EtlSettings.ROOT + "." + k, v));
        return EtlSettings.from(ReferenceConfig.with(prefixed));
    }
}
