package org.iotpipeline.query.bench;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.query.QueryServerSettings;
import org.iotpipeline.query.QuerySparkSession;
import org.iotpipeline.query.table.MeasurementsTable;
import org.iotpipeline.store.MeasurementsStore;

/**
 * Compares runtime Spark SQL settings on the benchmark queries in one SparkSession, interleaving
 * the variants run by run, so load from other processes on a shared machine hits every variant
 * alike. Prints p50 wall time (analysis to last row, as the server does it) per query and variant.
 *
 * <p>Usage: {@code ConfComparison <benchDir> <firstDay> <days> <runs>}.
 */
public final class ConfComparison {

    private ConfComparison() {
    }

    static final Map<String, Map<String, String>> VARIANTS = variants();

    private static Map<String, Map<String, String>> variants() {
        Map<String, Map<String, String>> variants = new LinkedHashMap<>();
        variants.put("server defaults", Map.of());
        String only = System.getProperty("bench.variants", "all");
        if (only.equals("all") || only.equals("broad")) {
            variants.put("AQE off", Map.of("spark.sql.adaptive.enabled", "false"));
            variants.put("shuffle partitions 2", Map.of("spark.sql.shuffle.partitions", "2"));
            variants.put("shuffle partitions 200", Map.of("spark.sql.shuffle.partitions", "200"));
            variants.put("maxPartitionBytes 4MB", Map.of("spark.sql.files.maxPartitionBytes", "4MB"));
            variants.put("openCostInBytes 4MB (Spark default)", Map.of("spark.sql.files.openCostInBytes", "4MB"));
            variants.put("whole-stage codegen off", Map.of("spark.sql.codegen.wholeStage", "false"));
            variants.put("vectorized reader off", Map.of("spark.sql.parquet.enableVectorizedReader", "false"));
            variants.put("Parquet filter pushdown off", Map.of("spark.sql.parquet.filterPushdown", "false"));
        }
        if (only.equals("all") || only.equals("pushdown")) {
            variants.put("filter pushdown off", Map.of("spark.sql.parquet.filterPushdown", "false"));
            variants.put("column index off", Map.of("parquet.filter.columnindex.enabled", "false"));
            variants.put("record filter off, stats only", Map.of("parquet.filter.record-level.enabled", "false",
                    "parquet.filter.columnindex.enabled", "false"));
            variants.put("AQE off", Map.of("spark.sql.adaptive.enabled", "false"));
            variants.put("AQE off + column index off", Map.of("spark.sql.adaptive.enabled", "false",
                    "parquet.filter.columnindex.enabled", "false"));
            variants.put("openCostInBytes 4MB", Map.of("spark.sql.files.openCostInBytes", "4MB"));
        }
        return variants;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        LocalDate first = LocalDate.parse(args[1]);
        int days = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        SparkSession spark = QuerySparkSession.create(QueryServerSettings.from(ConfigFactory.load()).sparkConf());
        MeasurementsStore store = MeasurementsStore.open(dir.resolve("staging/measurements").toUri().toString(),
                dir.resolve("warehouse/measurements").toUri().toString(), new Configuration());
        new MeasurementsTable(spark, new org.iotpipeline.store.TableReader(spark, store, java.util.Optional.empty()), Duration.ofHours(1), Clock.systemUTC()).refresh();
        LocalDate day = first.plusDays(days / 2);
        List<QueryBenchmark.BenchQuery> queries = new ArrayList<>(QueryBenchmark.QUERIES);
        queries.add(0, new QueryBenchmark.BenchQuery("SELECT 1", "SELECT 1"));

        Map<String, Map<String, long[]>> times = new LinkedHashMap<>();
        for (QueryBenchmark.BenchQuery query : queries) {
            Map<String, long[]> perVariant = new LinkedHashMap<>();
            VARIANTS.keySet().forEach(variant -> perVariant.put(variant, new long[runs]));
            times.put(query.name(), perVariant);
        }
        for (int run = -2; run < runs; run++) {
            for (QueryBenchmark.BenchQuery query : queries) {
                String sql = query.bind(day, first, days);
                for (Map.Entry<String, Map<String, String>> variant : VARIANTS.entrySet()) {
                    Map<String, String> previous = new LinkedHashMap<>();
                    variant.getValue().forEach((key, value) -> {
                        previous.put(key, spark.conf().get(key, null));
                        spark.conf().set(key, value);
                    });
                    long start = System.nanoTime();
                    spark.sql(sql).takeAsList(10_001);
                    long elapsed = System.nanoTime() - start;
                    previous.forEach((key, value) -> {
                        if (value == null) {
                            spark.conf().unset(key);
                        } else {
                            spark.conf().set(key, value);
                        }
                    });
                    if (run >= 0) {
                        times.get(query.name()).get(variant.getKey())[run] = elapsed;
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder("| query |");
        VARIANTS.keySet().forEach(variant -> out.append(' ').append(variant).append(" |"));
        out.append("\n|---|");
        VARIANTS.keySet().forEach(variant -> out.append("---|"));
        out.append('\n');
        times.forEach((query, perVariant) -> {
            out.append("| ").append(query).append(" |");
            perVariant.values().forEach(values -> out.append(String.format(Locale.ROOT, " %.0f |",
                    QueryBenchmark.percentile(values, 50))));
            out.append('\n');
        });
        System.out.print(out);
        spark.stop();
    }
}
