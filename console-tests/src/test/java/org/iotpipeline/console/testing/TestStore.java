package org.iotpipeline.console.testing;

import static org.apache.spark.sql.functions.expr;

import java.nio.file.Path;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.store.HourPartition;

/**
 * Writes rollup rows into a staging tree the way the ETL lays it out (docs/storage.md): Spark's
 * partitioned Parquet writer under {@code year=/month=/day=/hour=}. The query server reads such an
 * hour as it is (no manifest: staging alone).
 */
public final class TestStore {

    private final SparkSession spark;
    private final Path staging;
    private final Path warehouse;
    private final Path live;

    public TestStore(SparkSession spark, Path root) {
        this.spark = spark;
        this.staging = root.resolve("staging/measurements");
        this.warehouse = root.resolve("warehouse/measurements");
        this.live = root.resolve("live");
    }

    public Path staging() {
        return staging;
    }

    public Path warehouse() {
        return warehouse;
    }

    public Path live() {
        return live;
    }

    /**
     * One hour of {@code devices} × {@code metrics} × 12 five-minute windows: event_count 2,
     * value_avg = device × 10 + metric + 3 sin(window start / 30 min) (every device's line apart from the others),
     * value_min/value_max = value_avg ∓ 1, value_sum = 2 × value_avg.
     */
    public void writeHour(HourPartition hour, int devices, int metrics) {
        long start = hour.start().getEpochSecond();
        String window = "(id % 12)";
        String device = "CAST(id DIV 12 DIV " + metrics + " AS INT)";
        String metric = "CAST(id DIV 12 % " + metrics + " AS INT)";
        // A slow wave over absolute time (continuous across hours), one level per device and metric.
        String avg = "(" + device + " * 10 + " + metric + " + 3 * sin((" + start + " + " + window + " * 300) / 1800.0))";
        spark.range(0, (long) devices * metrics * 12, 1, 1).select(
                        expr("timestamp_seconds(" + start + " + " + window + " * 300)").as("window_start"),
                        expr("timestamp_seconds(" + start + " + " + window + " * 300 + 300)").as("window_end"),
                        expr(device).as("device_id"),
                        expr(metric).as("metric_id"),
                        expr("CAST(2 AS BIGINT)").as("event_count"),
                        expr("CAST(2 * " + avg + " AS DOUBLE)").as("value_sum"),
                        expr("CAST(" + avg + " - 1 AS DOUBLE)").as("value_min"),
                        expr("CAST(" + avg + " + 1 AS DOUBLE)").as("value_max"),
                        expr("CAST(" + avg + " AS DOUBLE)").as("value_avg"))
                .withColumn("year", expr("year(window_start)")).withColumn("month", expr("month(window_start)"))
                .withColumn("day", expr("day(window_start)")).withColumn("hour", expr("hour(window_start)"))
                .coalesce(1)
                .write().mode(SaveMode.Append).partitionBy("year", "month", "day", "hour").parquet(staging.toString());
    }
}
