package org.iotpipeline.etl.compaction;

import org.apache.spark.sql.SparkSession;

/** The small local SparkSession each integration test class shares. */
final class LocalSpark {

    private LocalSpark() {
    }

    static SparkSession start(String appName) {
        return SparkSession.builder()
                .master("local[2]")
                .appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.session.timeZone", "UTC")
                // The streaming job writes staging files this way; tests that create staging data do too.
                .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
                .getOrCreate();
    }
}
