package org.iotpipeline.etl;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the one SparkSession of the service from {@link EtlSettings.Spark}. */
public final class EtlSpark {

    private static final Logger log = LoggerFactory.getLogger(EtlSpark.class);

    /**
     * Always set, whatever the configuration says: partition directories are derived from
     * window_start in UTC, and plain Parquet readers need standard microsecond timestamps, not INT96.
     */
    public static final Map<String, String> FORCED = Map.of(
            "spark.sql.session.timeZone", "UTC",
            "spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");

    private EtlSpark() {
    }

    /**
     * The session for the ETL. Under spark-submit (which passes its settings as {@code spark.*}
     * system properties) the master and every key given there win over the configuration file.
     */
    public static SparkSession session(EtlSettings.Spark settings) {
        SparkSession.Builder builder = SparkSession.builder().appName(settings.appName());
        String submittedMaster = System.getProperty("spark.master");
        if (submittedMaster == null) {
            builder.master(settings.master());
        } else {
            log.info("Using spark.master {} given to spark-submit", submittedMaster);
        }
        settings.conf().forEach((key, value) -> {
            if (FORCED.containsKey(key) && !FORCED.get(key).equals(value)) {
                log.warn("Ignoring {}={} from the configuration: the ETL always uses {}", key, value, FORCED.get(key));
            } else if (System.getProperty(key) == null) {
                builder.config(key, value);
            }
        });
        FORCED.forEach(builder::config);
        return builder.getOrCreate();
    }
}
