package org.iotpipeline.query.bench;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.iotpipeline.query.QueryServerSettings;
import org.iotpipeline.query.QuerySparkSession;
import org.iotpipeline.query.table.MeasurementsTable;
import org.iotpipeline.store.MeasurementsStore;

/**
 * Where a query's time goes inside the server, without HTTP: store listing, parsing, analysis,
 * optimization and physical planning, execution. Same SparkSession settings as the server
 * ({@code reference.conf} plus {@code -Dquery-server...} overrides), same table, same queries as
 * {@link QueryBenchmark}.
 *
 * <p>Usage: {@code QueryProfile <benchDir> <firstDay> <days> <runs>}.
 */
public final class QueryProfile {

    private QueryProfile() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        LocalDate first = LocalDate.parse(args[1]);
        int days = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        QueryServerSettings settings = QueryServerSettings.from(ConfigFactory.load());
        SparkSession spark = QuerySparkSession.create(settings.sparkConf());
        MeasurementsStore store = MeasurementsStore.open(dir.resolve("staging/measurements").toUri().toString(),
                dir.resolve("warehouse/measurements").toUri().toString(), new Configuration())
                .withIncrementalListing(Clock.systemUTC()); // as the server lists
        MeasurementsTable table = new MeasurementsTable(spark, new org.iotpipeline.store.TableReader(spark, store, java.util.Optional.empty()), Duration.ZERO, Clock.systemUTC());
        table.refresh();
        table.warmUp();

        Map<String, long[]> phases = new LinkedHashMap<>();
        for (String phase : List.of("list store", "parse", "analyze", "optimize+plan", "execute+collect")) {
            phases.put(phase, new long[runs]);
        }
        LocalDate day = first.plusDays(days / 2);
        System.out.println("| query | list store | parse | analyze | optimize+plan | execute+collect | total (ms, p50) |");
        System.out.println("|---|---|---|---|---|---|---|");
        List<QueryBenchmark.BenchQuery> queries = new java.util.ArrayList<>(QueryBenchmark.QUERIES);
        queries.add(0, new QueryBenchmark.BenchQuery("SELECT 1", "SELECT 1"));
        for (QueryBenchmark.BenchQuery query : queries) {
            String sql = query.bind(day, first, days);
            for (int run = -3; run < runs; run++) {
                long t0 = System.nanoTime();
                store.snapshot();
                long t1 = System.nanoTime();
                spark.sessionState().sqlParser().parsePlan(sql);
                long t2 = System.nanoTime();
                Dataset<Row> result = spark.sql(sql).limit(10_001); // as the server's takeAsList does
                QueryExecution execution = result.queryExecution();
                execution.analyzed();
                long t3 = System.nanoTime();
                execution.executedPlan();
                long t4 = System.nanoTime();
                result.collectAsList();
                long t5 = System.nanoTime();
                if (run >= 0) {
                    phases.get("list store")[run] = t1 - t0;
                    phases.get("parse")[run] = t2 - t1;
                    phases.get("analyze")[run] = t3 - t2;
                    phases.get("optimize+plan")[run] = t4 - t3;
                    phases.get("execute+collect")[run] = t5 - t4;
                }
            }
            StringBuilder line = new StringBuilder("| " + query.name() + " |");
            double total = 0;
            for (long[] values : phases.values()) {
                double p50 = QueryBenchmark.percentile(values, 50);
                total += p50;
                line.append(String.format(Locale.ROOT, " %.1f |", p50));
            }
            line.append(String.format(Locale.ROOT, " %.1f |", total));
            System.out.println(line);
        }
        spark.stop();
    }
}
