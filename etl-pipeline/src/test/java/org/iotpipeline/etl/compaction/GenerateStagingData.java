package org.iotpipeline.etl.compaction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.store.HourPartition;

/**
 * Writes deterministic staging data for manual runs and the compaction benchmark:
 * {@code GenerateStagingData <staging root> <first hour, e.g. 2026-03-01T00:00:00Z> <hours> <devices>
 * <metrics> <files per hour>}. Appends, so running it twice adds a second set of files with the same
 * keys (only for benchmarks of size; the table then has duplicate keys by construction).
 */
public final class GenerateStagingData {

    private GenerateStagingData() {
    }

    public static void main(String[] args) {
        if (args.length != 6) {
            System.err.println("usage: GenerateStagingData <staging root> <first hour instant> <hours> <devices> <metrics> "
                    + "<files per hour>");
            System.exit(2);
        }
        SparkSession spark = SparkSession.builder().master("local[2]").appName("generate-staging")
                .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS").getOrCreate();
        try {
            HourPartition first = HourPartition.containing(Instant.parse(args[1]));
            int hours = Integer.parseInt(args[2]);
            for (int i = 0; i < hours; i++) {
                HourPartition hour = HourPartition.containing(first.start().plusSeconds(3600L * i));
                List<Row> rows = new ArrayList<>(TestMeasurements.hour(hour, 0, Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]), 42));
                TestMeasurements.writeStaging(spark, rows, new Path(args[0]), Integer.parseInt(args[5]));
            }
        } finally {
            spark.stop();
        }
    }
}
