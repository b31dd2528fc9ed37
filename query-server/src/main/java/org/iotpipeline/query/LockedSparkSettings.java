package org.iotpipeline.query;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.query.execution.Redaction;

/**
 * Spark settings the query server's safety depends on. They are applied over whatever the
 * configuration says ({@link QuerySparkSession}), and {@link #verify} refuses to serve from a
 * session that does not have them, so neither a config file nor a test can run the server without.
 *
 * <ul>
 *   <li>{@code spark.sql.variable.substitute=false}: Spark would replace {@code ${env:X}},
 *       {@code ${system:Y}}, {@code ${spark:Z}} in the SQL text before parsing, so the guard would
 *       see a literal and the client would get the value back;</li>
 *   <li>{@code spark.sql.runSQLOnFiles=false}: no {@code parquet.`/path`} in SQL;</li>
 *   <li>{@code spark.sql.redaction.string.regex}: file locations in EXPLAIN output are redacted, so a
 *       client does not learn the host's paths;</li>
 *   <li>{@code spark.executor.killOnFatalError.depth=0}: in local mode a task's OutOfMemoryError
 *       or StackOverflowError would otherwise reach Spark's uncaught-exception handler, which exits
 *       the JVM (codes 52, 50); with 0 the task and its query fail and the server keeps running.</li>
 * </ul>
 */
public final class LockedSparkSettings {


    /** Key and the only value the server runs with. */
    public static final Map<String, String> SETTINGS;

    static {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("spark.sql.variable.substitute", "false");
        settings.put("spark.sql.runSQLOnFiles", "false");
        settings.put("spark.executor.killOnFatalError.depth", "0");
        settings.put("spark.sql.redaction.string.regex", Redaction.LOCATIONS);
        SETTINGS = Map.copyOf(settings);
    }

    private LockedSparkSettings() {
    }

    /** The configuration with every locked setting forced to its value. */
    public static Map<String, String> applyTo(Map<String, String> sparkConf) {
        Objects.requireNonNull(sparkConf, "sparkConf is null");
        Map<String, String> conf = new LinkedHashMap<>(sparkConf);
        conf.putAll(SETTINGS);
        return conf;
    }

    /**
     * @throws IllegalStateException if the session runs without one of the locked settings (it was
     *                               not built by {@link QuerySparkSession})
     */
    public static void verify(SparkSession spark) {
        Objects.requireNonNull(spark, "spark is null");
        SETTINGS.forEach((key, value) -> {
            String actual = spark.conf().get(key, spark.sparkContext().getConf().get(key, "<unset>"));
            if (!value.equalsIgnoreCase(actual)) {
                throw new IllegalStateException("the query server needs " + key + "=" + value + " but the SparkSession has "
                        + actual + "; build the session with QuerySparkSession.create");
            }
        });
    }
}
