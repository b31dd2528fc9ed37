package org.iotpipeline.etl.compaction;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.iotpipeline.store.StoreSnapshot;

/**
 * What compaction buys readers, measured in one run: the same queries through the read rule over
 * the store as the streaming job leaves it (many small staging files per hour) and after
 * compaction, plus the compaction itself. Not a test; see docs/perf-compaction.md.
 *
 * <p>Arguments: {@code <empty work dir> [hours=12] [devices=500] [metrics=4] [files per hour=100]
 * [repetitions=5]}.
 */
public final class CompactionBenchmark {

    private static final HourPartition FIRST = new HourPartition(2026, 3, 1, 0);

    private final SparkSession spark;
    private final MeasurementsStore store;
    private final int repetitions;

    private CompactionBenchmark(SparkSession spark, MeasurementsStore store, int repetitions) {
        this.spark = spark;
        this.store = store;
        this.repetitions = repetitions;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: CompactionBenchmark <empty work dir> [hours] [devices] [metrics] [files per hour] "
                    + "[repetitions]");
            System.exit(2);
        }
        int hours = arg(args, 1, 12);
        int devices = arg(args, 2, 500);
        int metrics = arg(args, 3, 4);
        int filesPerHour = arg(args, 4, 100);
        int repetitions = arg(args, 5, 5);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("compaction-benchmark")
                .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS").getOrCreate();
        try {
            Path root = new Path(args[0]);
            MeasurementsStore store = MeasurementsStore.open(new Path(root, "staging").toString(),
                    new Path(root, "warehouse").toString(), spark.sparkContext().hadoopConfiguration());
            if (!store.stagingFiles().isEmpty() || !store.warehouseFiles().isEmpty()) {
                throw new IllegalArgumentException(root + " is not empty");
            }
            long rows = 0;
            for (int i = 0; i < hours; i++) {
                HourPartition hour = HourPartition.containing(FIRST.start().plusSeconds(3600L * i));
                List<Row> hourRows = TestMeasurements.hour(hour, 0, devices, metrics, 42);
                rows += hourRows.size();
                TestMeasurements.writeStaging(spark, hourRows, new Path(root, "staging"), filesPerHour);
            }
            System.out.printf(Locale.ROOT, "data: %d hours x %d devices x %d metrics x 12 windows = %d rows, %d staging "
                    + "files (%.1f MiB)%n", hours, devices, metrics, rows, count(store.stagingFiles().values()),
                    bytes(store) / 1048576.0);
            new CompactionBenchmark(spark, store, repetitions).run(hours);
        } finally {
            spark.stop();
        }
    }

    private void run(int hours) throws IOException {
        List<Measurement> before = measureQueries();
        CompactionSettings settings = CompactionSettings.fromConfig(ConfigFactory.defaultReference());
        Compactor compactor = new Compactor(spark, store, settings, Clock.systemUTC(), FaultInjector.NONE);
        long start = System.nanoTime();
        CompactionRun run = compactor.run(CompactionRequest.upTo(FIRST.start().plusSeconds(3600L * hours)));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "compaction: %d hours, %d files -> %d files, %d rows in %.1f s (%.0f rows/s, "
                        + "%.2f s per hour)%n", run.compacted().size(), run.filesIn(), run.filesOut(), run.rows(), seconds,
                run.rows() / seconds, seconds / run.compacted().size());
        // Steady state: the absorbed staging files are gone once the grace has passed (no reader runs now).
        CompactionRun cleanup = new Compactor(spark, store, settings.withGrace(Duration.ZERO), Clock.systemUTC(),
                FaultInjector.NONE).run(CompactionRequest.cleanUpOnly());
        System.out.printf(Locale.ROOT, "clean-up: %d files and directories deleted%n", cleanup.cleanup().deleted());
        List<Measurement> after = measureQueries();
        System.out.println();
        System.out.println("| query | staging only (ms, median) | compacted (ms, median) | speed-up |");
        System.out.println("|---|---|---|---|");
        for (int i = 0; i < before.size(); i++) {
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.1fx |%n", before.get(i).name(), before.get(i).millis(),
                    after.get(i).millis(), (double) before.get(i).millis() / Math.max(1, after.get(i).millis()));
        }
    }

    private List<Measurement> measureQueries() throws IOException {
        List<Measurement> results = new ArrayList<>();
        results.add(median("snapshot() listing", snapshot -> 0));
        results.add(median("sum(event_count), all rows", snapshot -> table(snapshot)
                .agg(sum("event_count")).first().getLong(0)));
        results.add(median("group by device (all rows)", snapshot -> table(snapshot).groupBy("device_id")
                .agg(sum("value_sum")).collectAsList().size()));
        results.add(median("one device, all hours", snapshot -> table(snapshot).where(col("device_id").equalTo(137))
                .agg(sum("event_count")).first().getLong(0)));
        return results;
    }

    /** Runs snapshot + query once to warm up, then {@code repetitions} times; the median wall time. */
    private Measurement median(String name, ToLongFunction<StoreSnapshot> query) throws IOException {
        query.applyAsLong(store.snapshot());
        long[] millis = new long[repetitions];
        for (int i = 0; i < repetitions; i++) {
            long start = System.nanoTime();
            query.applyAsLong(store.snapshot());
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(millis);
        return new Measurement(name, millis[repetitions / 2]);
    }

    private Dataset<Row> table(StoreSnapshot snapshot) {
        List<String> paths = new ArrayList<>();
        snapshot.warehouseFiles().forEach(path -> paths.add(path.toString()));
        snapshot.stagingFiles().forEach(path -> paths.add(path.toString()));
        return spark.read().schema(MeasurementColumns.SCHEMA).parquet(paths.toArray(String[]::new));
    }

    private static long count(java.util.Collection<? extends List<?>> lists) {
        return lists.stream().mapToLong(List::size).sum();
    }

    private static long bytes(MeasurementsStore store) throws IOException {
        return store.stagingFiles().values().stream().flatMap(List::stream).mapToLong(f -> f.getLen()).sum();
    }

    private static int arg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }

    private record Measurement(String name, long millis) {
    }

}
