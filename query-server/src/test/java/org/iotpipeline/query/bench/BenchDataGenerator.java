package org.iotpipeline.query.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.query.table.MeasurementsTable;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;

/**
 * Writes the benchmark's store: {@code days} × 24 hours × 12 five-minute windows × {@code devices}
 * × {@code metrics} rollup rows (7 × 1000 × 5 → 10,080,000) in the <b>warehouse</b> layout, one
 * compacted file per hour with a published manifest, as the compactor leaves them. Values are
 * deterministic (a per-device sine plus a hash-based jitter), so every run reads the same data.
 *
 * <p>Usage: {@code BenchDataGenerator <root> <startDay yyyy-mm-dd> <days> <devices> <metrics>
 * <rowGroupRows>}. Skips the work if {@code <root>/_COMPLETE} names the same parameters.
 */
public final class BenchDataGenerator {

    private BenchDataGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        String startDay = args[1];
        int days = Integer.parseInt(args[2]);
        int devices = Integer.parseInt(args[3]);
        int metrics = Integer.parseInt(args[4]);
        int rowGroupRows = Integer.parseInt(args[5]);
        String parameters = String.join(" ", args);
        Path marker = root.resolve("_COMPLETE");
        if (Files.exists(marker) && Files.readString(marker).strip().equals(parameters)) {
            System.out.println("Benchmark data already in " + root + " (" + parameters + ")");
            return;
        }
        deleteRecursively(root);
        SparkSession spark = SparkSession.builder().master("local[*]").appName("bench-data")
                .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", String.valueOf(days * 24))
                .getOrCreate();
        try {
            long start = Instant.parse(startDay + "T00:00:00Z").getEpochSecond();
            long windows = days * 24L * 12;
            long rows = windows * devices * metrics;
            Path scratch = root.resolve("_scratch");
            Dataset<Row> data = spark.range(0, rows, 1, Math.max(2, days * 4)).select(
                    expr("id DIV " + ((long) devices * metrics)).as("w"),
                    expr("CAST(id DIV " + metrics + " % " + devices + " AS INT)").as("device_id"),
                    expr("CAST(id % " + metrics + " AS INT)").as("metric_id"))
                    .select(
                            expr("timestamp_seconds(" + start + " + w * 300)").as("window_start"),
                            expr("timestamp_seconds(" + start + " + w * 300 + 300)").as("window_end"),
                            col("device_id"), col("metric_id"),
                            expr("CAST(10 + abs(hash(w, device_id, metric_id)) % 5 AS BIGINT)").as("event_count"),
                            expr("20 + 10 * sin(w / 288.0 * 2 * pi() + device_id) + metric_id").as("base"),
                            expr("(abs(hash(device_id, metric_id, w, 1)) % 1000) / 1000.0").as("jitter"))
                    .select(col("window_start"), col("window_end"), col("device_id"), col("metric_id"),
                            col("event_count"),
                            expr("(base + jitter / 2) * event_count").as("value_sum"),
                            expr("base - jitter").as("value_min"),
                            expr("base + jitter").as("value_max"),
                            expr("base + jitter / 2").as("value_avg"))
                    .withColumn("year", expr("year(window_start)")).withColumn("month", expr("month(window_start)"))
                    .withColumn("day", expr("day(window_start)")).withColumn("hour", expr("hour(window_start)"));
            // One file per hour, rows sorted by device so row-group statistics separate devices.
            data.repartition(col("year"), col("month"), col("day"), col("hour"))
                    .sortWithinPartitions("device_id", "metric_id", "window_start")
                    .write().mode(SaveMode.Overwrite).partitionBy("year", "month", "day", "hour")
                    // Row groups of about rowGroupRows rows (~60 bytes a row before compression), so
                    // readers can skip by device_id statistics within an hour file.
                    .option("parquet.block.size", String.valueOf(rowGroupRows * 60L))
                    .parquet(scratch.toString());
            publishAsWarehouse(scratch, root, spark);
            deleteRecursively(scratch);
            Files.writeString(marker, parameters + "\n");
            System.out.println("Wrote " + rows + " rows in " + days * 24 + " hour files to " + root);
        } finally {
            spark.stop();
        }
    }

    /** Moves each hour's file into the warehouse tree under a compactor-like name and publishes its manifest. */
    private static void publishAsWarehouse(Path scratch, Path root, SparkSession spark) throws IOException {
        Path warehouse = root.resolve("warehouse/measurements");
        MeasurementsStore store = MeasurementsStore.open(root.resolve("staging/measurements").toUri().toString(),
                warehouse.toUri().toString(), new Configuration());
        List<Path> hourDirs;
        try (Stream<Path> paths = Files.walk(scratch)) {
            hourDirs = paths.filter(path -> path.getFileName().toString().startsWith("hour=")).toList();
        }
        for (Path hourDir : hourDirs) {
            HourPartition hour = HourPartition.fromRelativePath(scratch.relativize(hourDir).toString()).orElseThrow();
            Path target = warehouse.resolve(hour.relativePath());
            Files.createDirectories(target);
            List<String> names = new ArrayList<>();
            int index = 0;
            for (Path file : dataFiles(hourDir)) {
                String name = "part-c1-" + index++ + ".parquet";
                Files.move(file, target.resolve(name));
                names.add(name);
            }
            Dataset<Row> written = spark.read().schema(MeasurementsTable.DATA_SCHEMA)
                    .parquet(names.stream().map(name -> target.resolve(name).toString()).toArray(String[]::new));
            Row totals = written.agg(expr("count(*)"), expr("sum(event_count)")).first();
            store.publishManifest(hour, new HourManifest(1, names, List.of(), totals.getLong(0), totals.getLong(1),
                    Instant.now().toEpochMilli()));
        }
    }

    private static List<Path> dataFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(path -> MeasurementsStore.isDataFileName(path.getFileName().toString())).sorted().toList();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
