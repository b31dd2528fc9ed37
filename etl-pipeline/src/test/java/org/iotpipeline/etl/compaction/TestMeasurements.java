package org.iotpipeline.etl.compaction;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.iotpipeline.store.StoreSnapshot;

/** Deterministic rows of table measurements, written as staging files and read back by the read rule. */
final class TestMeasurements {

    private TestMeasurements() {
    }

    /**
     * One row per device, metric and 5-minute window of the hour; devices {@code firstDevice ..
     * firstDevice + devices - 1}. Different device ranges never share a key.
     */
    static List<Row> hour(HourPartition hour, int firstDevice, int devices, int metrics, long seed) {
        Random random = new Random(seed ^ hour.start().getEpochSecond());
        List<Row> rows = new ArrayList<>();
        for (int window = 0; window < 12; window++) {
            Instant start = hour.start().plusSeconds(300L * window);
            for (int device = firstDevice; device < firstDevice + devices; device++) {
                for (int metric = 0; metric < metrics; metric++) {
                    long count = 1 + random.nextInt(20);
                    double min = random.nextDouble() * 10;
                    double max = min + random.nextDouble() * 10;
                    double sum = (min + max) / 2 * count;
                    rows.add(RowFactory.create(Timestamp.from(start), Timestamp.from(start.plusSeconds(300)), device, metric,
                            count, sum, min, max, sum / count));
                }
            }
        }
        return rows;
    }

    /**
     * Appends rows to the staging tree as the streaming job lays it out, in about
     * {@code filesPerHour} files per hour.
     */
    static void writeStaging(SparkSession spark, List<Row> rows, Path stagingRoot, int filesPerHour) {
        Dataset<Row> df = spark.createDataFrame(rows, MeasurementColumns.SCHEMA)
                .withColumn("year", functions.year(col("window_start")))
                .withColumn("month", functions.month(col("window_start")))
                .withColumn("day", functions.dayofmonth(col("window_start")))
                .withColumn("hour", functions.hour(col("window_start")));
        df.repartition(filesPerHour).write().mode(SaveMode.Append).partitionBy("year", "month", "day", "hour")
                .parquet(stagingRoot.toString());
    }

    /** Every row a reader following the read rule sees now, in a canonical order. */
    static List<String> readSnapshot(SparkSession spark, MeasurementsStore store) throws IOException {
        StoreSnapshot snapshot = store.snapshot();
        List<String> paths = new ArrayList<>();
        snapshot.warehouseFiles().forEach(path -> paths.add(path.toString()));
        snapshot.stagingFiles().forEach(path -> paths.add(path.toString()));
        if (paths.isEmpty()) {
            return List.of();
        }
        return canonical(spark.read().schema(MeasurementColumns.SCHEMA).parquet(paths.toArray(String[]::new))
                .select(MeasurementColumns.allColumns()).collectAsList());
    }

    /**
     * The nine-column rows of {@code finals} with the rows of the same key in {@code late} folded in,
     * computed here in plain Java (count and sum added, min, max, avg = sum / count).
     */
    static List<Row> folded(List<Row> finals, List<Row> late) {
        java.util.Map<String, Row> byKey = new java.util.LinkedHashMap<>();
        for (Row row : finals) {
            byKey.put(key(row), row);
        }
        for (Row row : late) {
            Row f = byKey.get(key(row));
            long count = f.getLong(4) + row.getLong(4);
            double sum = f.getDouble(5) + row.getDouble(5);
            byKey.put(key(row), RowFactory.create(f.get(0), f.get(1), f.getInt(2), f.getInt(3), count, sum,
                    Math.min(f.getDouble(6), row.getDouble(6)), Math.max(f.getDouble(7), row.getDouble(7)), sum / count));
        }
        return new ArrayList<>(byKey.values());
    }

    private static String key(Row row) {
        return row.get(0) + "|" + row.getInt(2) + "|" + row.getInt(3);
    }

    /** Rows as sortable text, so two multisets of rows compare with equals. */
    static List<String> canonical(List<Row> rows) {
        return rows.stream().map(row -> row.mkString("|")).sorted(Comparator.naturalOrder()).toList();
    }
}
