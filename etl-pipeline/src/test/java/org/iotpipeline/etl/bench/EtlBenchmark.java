package org.iotpipeline.etl.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.iotpipeline.etl.EtlSettings;
import org.iotpipeline.etl.EtlSpark;
import org.iotpipeline.etl.commit.BatchCommitter;
import org.iotpipeline.etl.commit.FaultInjector;
import org.iotpipeline.etl.idle.IdleHeartbeat;
import org.iotpipeline.etl.parse.EventRows;
import org.iotpipeline.etl.stream.DeadLettersQuery;
import org.iotpipeline.etl.stream.KafkaSource;
import org.iotpipeline.etl.stream.MeasurementsQuery;
import org.iotpipeline.etl.testkit.TestSettings;

/**
 * Benchmark driver (see scripts/bench-etl.sh): drains a preloaded topic with {@code Trigger.AvailableNow}
 * on one SparkSession, timing the measurements query with our exactly-once writer against the same
 * query into Spark's {@code noop} sink, with and without de-duplication, alternating the two so
 * both see the same machine conditions; plus decode-only and whole-service runs.
 *
 * <p>Usage: {@code EtlBenchmark <bootstrap> <topic> <events> <warmupTopic> <workDir> <repetitions>
 * <master> <shufflePartitions> <filesPerHour>}; {@code -Dbench.stateStore=hdfs} swaps RocksDB for
 * Spark's in-memory (HDFS-backed) state store.
 */
public final class EtlBenchmark {

    private final SparkSession spark;
    private final String bootstrap;
    private final Path workDir;
    private final int shufflePartitions;
    private final int filesPerHour;
    private final Map<String, List<Double>> seconds = new LinkedHashMap<>();
    private int runs;

    private EtlBenchmark(SparkSession spark, String bootstrap, Path workDir, int shufflePartitions, int filesPerHour) {
        this.spark = spark;
        this.bootstrap = bootstrap;
        this.workDir = workDir;
        this.shufflePartitions = shufflePartitions;
        this.filesPerHour = filesPerHour;
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        long events = Long.parseLong(args[2]);
        String warmupTopic = args[3];
        Path workDir = Path.of(args[4]);
        int repetitions = Integer.parseInt(args[5]);
        String master = args[6];
        int shufflePartitions = Integer.parseInt(args[7]);
        int filesPerHour = Integer.parseInt(args[8]);

        String stateStore = System.getProperty("bench.stateStore", "rocksdb");
        TestSettings session = TestSettings.of(bootstrap, topic, workDir)
                .set("spark.master", master)
                .set("spark.conf.\"spark.sql.shuffle.partitions\"", shufflePartitions);
        if (stateStore.equals("hdfs")) {
            session.set("spark.conf.\"spark.sql.streaming.stateStore.providerClass\"",
                    "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider");
        }
        EtlSettings sessionSettings = session.build();
        SparkSession spark = EtlSpark.session(sessionSettings.spark());
        try {
            EtlBenchmark bench = new EtlBenchmark(spark, bootstrap, workDir, shufflePartitions, filesPerHour);
            System.out.printf("BENCH events=%d master=%s shuffle.partitions=%d files-per-hour=%d repetitions=%d "
                    + "state store=%s%n", events, master, shufflePartitions, filesPerHour, repetitions, stateStore);
            bench.measurements(warmupTopic, "warmup", true, false);
            bench.measurements(warmupTopic, "warmup", true, true);
            for (int rep = 0; rep < repetitions; rep++) {
                bench.measurements(topic, "noop, dedupe on", true, true);
                bench.measurements(topic, "ours, dedupe on", true, false);
                bench.measurements(topic, "noop, dedupe off", false, true);
                bench.measurements(topic, "ours, dedupe off", false, false);
            }
            bench.decodeOnly(topic, "decode: Kafka read only", "raw");
            bench.decodeOnly(topic, "decode: EventCodec (ours)", "codec");
            bench.decodeOnly(topic, "decode: from_json", "from_json");
            bench.deadLetters(topic, "dead-letter query alone, ours");
            bench.service(topic, "service: measurements + dead letters, ours");
            bench.report(events);
        } finally {
            spark.stop();
        }
    }

    private void measurements(String topic, String name, boolean dedupe, boolean noop) throws Exception {
        EtlSettings settings = settings(topic, name, dedupe);
        Dataset<Row> rows = MeasurementsQuery.events(new KafkaSource(settings.kafka()).read(spark,
                List.of(settings.kafka().topic(), settings.kafka().heartbeatTopic())), settings);
        StreamingQuery query;
        long started = System.nanoTime();
        if (noop) {
            query = rows.writeStream().outputMode(OutputMode.Append()).trigger(Trigger.AvailableNow())
                    .option("checkpointLocation", settings.paths().measurementsCheckpoint())
                    .format("noop").start();
        } else {
            query = MeasurementsQuery.start(spark, settings, Trigger.AvailableNow(), FaultInjector.NONE, o -> { });
        }
        finish(name, started, query);
    }

    private void decodeOnly(String topic, String name, String how) throws Exception {
        EtlSettings settings = settings(topic, name, true);
        Dataset<Row> kafka = new KafkaSource(settings.kafka()).read(spark, List.of(settings.kafka().topic()));
        StructType schema = new StructType().add("deviceId", DataTypes.IntegerType).add("metricId", DataTypes.IntegerType)
                .add("timestamp", DataTypes.LongType).add("value", DataTypes.DoubleType);
        Dataset<Row> decoded = switch (how) {
            case "raw" -> kafka.select("topic", "value", "timestamp");
            case "codec" -> kafka.select("topic", "value", "timestamp")
                    .mapPartitions(new EventRows(settings.kafka().heartbeatTopic(), settings.horizon()), Encoders.row(EventRows.SCHEMA));
            default -> kafka.select(from_json(col("value").cast("string"), schema, Map.of("mode", "PERMISSIVE")).as("e"))
                    .select("e.*");
        };
        long started = System.nanoTime();
        StreamingQuery query = decoded.writeStream().trigger(Trigger.AvailableNow())
                .option("checkpointLocation", settings.paths().measurementsCheckpoint()).format("noop").start();
        finish(name, started, query);
    }

    private void deadLetters(String topic, String name) throws Exception {
        EtlSettings settings = settings(topic, name, true);
        long started = System.nanoTime();
        finish(name, started, DeadLettersQuery.start(spark, settings, Trigger.AvailableNow(), FaultInjector.NONE, o -> { }));
    }

    private void service(String topic, String name) throws Exception {
        EtlSettings settings = settings(topic, name, true);
        long started = System.nanoTime();
        StreamingQuery measurements = MeasurementsQuery.start(spark, settings, Trigger.AvailableNow(), FaultInjector.NONE,
                o -> { });
        StreamingQuery deadLetters = DeadLettersQuery.start(spark, settings, Trigger.AvailableNow(), FaultInjector.NONE,
                o -> { });
        deadLetters.awaitTermination();
        finish(name, started, measurements);
    }

    private void finish(String name, long startedNanos, StreamingQuery query) throws Exception {
        query.awaitTermination();
        double took = (System.nanoTime() - startedNanos) / 1e9;
        if (query.exception().isDefined()) {
            throw new IllegalStateException(name + " failed", query.exception().get());
        }
        long input = Arrays.stream(query.recentProgress()).mapToLong(StreamingQueryProgress::numInputRows).sum();
        System.out.printf("RUN %-45s %8.1f s  %9d rows read  %,10.0f rows/s%n", name, took, input, input / took);
        seconds.computeIfAbsent(name, k -> new ArrayList<>()).add(took);
    }

    private EtlSettings settings(String topic, String name, boolean dedupe) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve("run-" + (++runs) + "-" + name.replaceAll("[^a-z]+", "-")));
        EtlSettings settings = TestSettings.of(bootstrap, topic, dir)
                .set("dedupe", dedupe)
                .set("files-per-hour", filesPerHour)
                .set("spark.conf.\"spark.sql.shuffle.partitions\"", shufflePartitions)
                .build();
        IdleHeartbeat.ensureTopic(settings.kafka().clientProperties(), settings.kafka().heartbeatTopic());
        return settings;
    }

    private void report(long events) {
        System.out.println();
        System.out.printf("%-45s %10s %14s%n", "configuration (median of runs)", "seconds", "events/s");
        Map<String, Double> rate = new LinkedHashMap<>();
        seconds.forEach((name, list) -> {
            if (name.equals("warmup")) {
                return;
            }
            double median = median(list);
            rate.put(name, events / median);
            System.out.printf("%-45s %10.1f %,14.0f%n", name, median, events / median);
        });
        System.out.println();
        ratio(rate, "ours, dedupe on", "noop, dedupe on");
        ratio(rate, "ours, dedupe off", "noop, dedupe off");
        ratio(rate, "ours, dedupe on", "ours, dedupe off");
        ratio(rate, "noop, dedupe on", "noop, dedupe off");
        ratio(rate, "decode: EventCodec (ours)", "decode: from_json");
        ratio(rate, "service: measurements + dead letters, ours", "ours, dedupe on");
    }

    private static void ratio(Map<String, Double> rate, String a, String b) {
        if (rate.containsKey(a) && rate.containsKey(b)) {
            System.out.printf("RATIO %-45s / %-30s = %.2f%n", a, b, rate.get(a) / rate.get(b));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
