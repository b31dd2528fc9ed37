package org.iotpipeline.query.testing;

import static org.apache.spark.sql.functions.expr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.iotpipeline.query.table.MeasurementsTable;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.iotpipeline.store.Rollups;
import org.iotpipeline.store.Tier;
import org.iotpipeline.store.TierManifest;
import org.iotpipeline.store.TierPartition;
import org.iotpipeline.store.TierStore;

/**
 * Writes the store layout of docs/storage.md the way the ETL and the compactor do, so query tests
 * need neither: staging files with Spark's partitioned writer, warehouse files plus a manifest.
 */
public final class StoreWriter {

    private final SparkSession spark;
    private final Path staging;
    private final Path warehouse;
    private final MeasurementsStore store;

    public StoreWriter(SparkSession spark, Path root) {
        this.spark = spark;
        this.staging = root.resolve("staging/measurements");
        this.warehouse = root.resolve("warehouse/measurements");
        try {
            this.store = MeasurementsStore.open(staging.toUri().toString(), warehouse.toUri().toString(), new Configuration());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path stagingRoot() {
        return staging;
    }

    public Path warehouseRoot() {
        return warehouse;
    }

    /**
     * Rollup rows: {@code devices} devices × {@code metrics} metrics × 12 five-minute windows of the
     * hour, with event_count 2 and values derived from the ids (value_sum = 2 × value_avg).
     */
    public Dataset<Row> hourOfRows(HourPartition hour, int devices, int metrics) {
        long start = hour.start().getEpochSecond();
        return spark.range(0, (long) devices * metrics * 12, 1, 1).select(
                        expr("timestamp_seconds(" + start + " + (id % 12) * 300)").as("window_start"),
                        expr("timestamp_seconds(" + start + " + (id % 12) * 300 + 300)").as("window_end"),
                        expr("CAST(id DIV 12 DIV " + metrics + " AS INT)").as("device_id"),
                        expr("CAST(id DIV 12 % " + metrics + " AS INT)").as("metric_id"),
                        expr("CAST(2 AS BIGINT)").as("event_count"),
                        expr("CAST(id AS DOUBLE)").as("value_sum"),
                        expr("CAST(id AS DOUBLE) / 2 - 1").as("value_min"),
                        expr("CAST(id AS DOUBLE) / 2 + 1").as("value_max"),
                        expr("CAST(id AS DOUBLE) / 2").as("value_avg"));
    }

    /** Appends rows to staging, one file per hour they touch (Spark's partitioned writer). */
    public List<String> appendToStaging(Dataset<Row> rows) {
        Set<String> before = fileNames(staging);
        rows.withColumn("year", expr("year(window_start)")).withColumn("month", expr("month(window_start)"))
                .withColumn("day", expr("day(window_start)")).withColumn("hour", expr("hour(window_start)"))
                .coalesce(1)
                .write().mode(SaveMode.Append).partitionBy("year", "month", "day", "hour").parquet(staging.toString());
        List<String> added = new ArrayList<>(fileNames(staging));
        added.removeAll(before);
        return added;
    }

    /**
     * Compacts an hour the way the compactor does: folds its staging rows to one row per window
     * ({@link Rollups#merge}), writes them into one warehouse file and publishes a manifest naming
     * the staging files it absorbed. The staging files stay (within the grace period a reader must
     * skip them).
     */
    public String compact(HourPartition hour, long version) {
        try {
            List<String> sources = dataFiles(staging.resolve(hour.relativePath()));
            Dataset<Row> rows = Rollups.merge(spark.read().schema(MeasurementsTable.DATA_SCHEMA)
                    .parquet(sources.stream().map(name -> staging.resolve(hour.relativePath()).resolve(name).toString())
                            .toArray(String[]::new)), false);
            Path scratch = Files.createTempDirectory("compact");
            rows.coalesce(1).write().mode(SaveMode.Overwrite).parquet(scratch.resolve("out").toString());
            Path written = dataFileIn(scratch.resolve("out"));
            Path hourDir = warehouse.resolve(hour.relativePath());
            Files.createDirectories(hourDir);
            String name = "part-c" + version + "-" + UUID.randomUUID() + ".parquet";
            Files.move(written, hourDir.resolve(name));
            long count = rows.count();
            long events = rows.agg(expr("sum(event_count)")).first().getLong(0);
            store.publishManifest(hour, new HourManifest(version, List.of(name), sources, count, events,
                    Instant.now().toEpochMilli()));
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Builds the hourly tier's day partition from one compacted hour, as compaction folds it: the
     * hour's 5-minute rows with window_start truncated to the hour, folded ({@link Rollups#merge}),
     * written as one file of {@code measurements_1h} with a published manifest.
     */
    public void buildHourlyTier(HourPartition hour) {
        try {
            Path hourDir = warehouse.resolve(hour.relativePath());
            Dataset<Row> fiveMinute = spark.read().schema(MeasurementsTable.DATA_SCHEMA).parquet(dataFiles(hourDir).stream()
                    .map(name -> hourDir.resolve(name).toString()).toArray(String[]::new));
            Dataset<Row> hourly = Rollups.merge(fiveMinute
                    .withColumn("window_start", expr("date_trunc('HOUR', window_start)"))
                    .withColumn("window_end", expr("date_trunc('HOUR', window_start) + INTERVAL 1 HOUR")), false)
                    .withColumn("hour", functions.lit(hour.hour()));
            hourly = hourly.select(java.util.Arrays.stream(Tier.HOURLY.fileSchema().fieldNames())
                    .map(functions::col).toArray(org.apache.spark.sql.Column[]::new));
            TierStore tier = TierStore.of(store, Tier.HOURLY);
            TierPartition day = TierPartition.of(Tier.HOURLY, hour);
            Path scratch = Files.createTempDirectory("tier");
            hourly.coalesce(1).write().mode(SaveMode.Overwrite).parquet(scratch.resolve("out").toString());
            Path dayDir = Path.of(tier.partitionDir(day).toUri());
            Files.createDirectories(dayDir);
            String name = "part-t1-" + UUID.randomUUID() + ".parquet";
            Files.move(dataFileIn(scratch.resolve("out")), dayDir.resolve(name));
            long events = hourly.agg(expr("sum(event_count)")).first().getLong(0);
            tier.publish(day, new TierManifest(1, List.of(name), java.util.Map.of(), hourly.count(), events,
                    Instant.now().toEpochMilli(), false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Data files (not hidden) directly in a directory, by name. */
    public static List<String> dataFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).filter(MeasurementsStore::isDataFileName).sorted()
                    .toList();
        }
    }

    private static Path dataFileIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(path -> MeasurementsStore.isDataFileName(path.getFileName().toString())).findFirst()
                    .orElseThrow();
        }
    }

    private static Set<String> fileNames(Path root) {
        if (!Files.exists(root)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(path -> root.relativize(path).toString())
                    .filter(name -> MeasurementsStore.isDataFileName(Path.of(name).getFileName().toString()))
                    .collect(java.util.stream.Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
