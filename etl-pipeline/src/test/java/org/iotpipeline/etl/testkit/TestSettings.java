package org.iotpipeline.etl.testkit;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.iotpipeline.config.ReferenceConfig;
import org.iotpipeline.etl.EtlSettings;

/**
 * Settings from the real reference.conf, pointed at a test's broker, topic and temporary directory.
 * The event horizon's age is ten years unless a test sets it ({@link #setRoot}), so tests can use
 * fixed, readable event times from the past.
 */
public final class TestSettings {

    private final Map<String, Object> overrides = new HashMap<>();

    private TestSettings(String bootstrapServers, String topic, Path dir) {
        set("kafka.bootstrap-servers", bootstrapServers);
        set("kafka.topic", topic);
        set("paths.staging", dir.resolve("staging/measurements").toUri().toString());
        set("paths.warehouse", dir.resolve("warehouse/measurements").toUri().toString());
        set("paths.live", dir.resolve("live").toUri().toString());
        set("paths.checkpoint", dir.resolve("checkpoints").toUri().toString());
        setRoot("iot.events.max-event-age", "3650d");
        set("paths.dead-letters", dir.resolve("dead-letters").toUri().toString());
        set("admin.port", 0);
        // Tests that read staging directly must not race a scheduled compaction; those that want it enable it.
        set("compaction.enabled", false);
        set("spark.master", "local[2]");
        set("spark.conf.\"spark.sql.shuffle.partitions\"", 2);
    }

    public static TestSettings of(String bootstrapServers, String topic, Path dir) {
        return new TestSettings(bootstrapServers, topic, dir);
    }

    /** Overrides {@code etl-pipeline.<key>}. */
    public TestSettings set(String key, Object value) {
        overrides.put(EtlSettings.ROOT + "." + key, value);
        return this;
    }

    /** Overrides a key outside {@code etl-pipeline}, e.g. {@code iot.events.max-event-age}. */
    public TestSettings setRoot(String key, Object value) {
        overrides.put(key, value);
        return this;
    }

    public EtlSettings build() {
        return EtlSettings.from(ReferenceConfig.with(overrides));
    }
}
