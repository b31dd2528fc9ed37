package org.iotpipeline.etl.compaction;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.iotpipeline.store.StoreSnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader queries the table through {@link MeasurementsStore#snapshot()} over and over while
 * compaction publishes new versions, absorbs late files and deletes superseded files. Every answer
 * must be one of the states the input went through, never a row twice, never a missing file.
 *
 * <p>The grace is modelled exactly as deployed: "longer than any query". The compactor's clock
 * moves past the grace only after the reader has completed a read that started after the last
 * publish, so every read that may still use a superseded file has finished by then, however slow
 * the machine is.
 */
class CompactionConcurrencyIT {

    private static final HourPartition H1 = new HourPartition(2026, 3, 3, 0);
    private static final HourPartition H2 = new HourPartition(2026, 3, 3, 1);
    private static final HourPartition H3 = new HourPartition(2026, 3, 3, 2);
    private static final Duration GRACE = Duration.ofMinutes(10);

    private static SparkSession spark;

    @TempDir
    java.nio.file.Path dir;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("CompactionConcurrencyIT");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void readersSeeEveryRowExactlyOnceWhileCompactionPublishesAndDeletes() throws Exception {
        MeasurementsStore store = MeasurementsStore.open(dir.resolve("staging").toUri().toString(),
                dir.resolve("warehouse").toUri().toString(), spark.sparkContext().hadoopConfiguration());
        List<Row> initial = new ArrayList<>();
        for (HourPartition hour : List.of(H1, H2, H3)) {
            initial.addAll(TestMeasurements.hour(hour, 0, 10, 2, 3));
        }
        // Each late batch is one file, so it appears in one atomic rename.
        List<Row> lateH1 = TestMeasurements.hour(H1, 50, 3, 2, 4);
        List<Row> lateH2 = TestMeasurements.hour(H2, 50, 3, 2, 5);
        List<Totals> states = List.of(Totals.of(initial), Totals.of(initial, lateH1), Totals.of(initial, lateH1, lateH2));
        TestMeasurements.writeStaging(spark, initial, store.stagingRoot(), 4);

        CompactionSettings settings = CompactionSettings.fromConfig(ConfigFactory.defaultReference())
                .withGrace(GRACE).withTargetFileSize(8 * 1024);
        MutableClock clock = new MutableClock(Instant.now());
        Compactor compactor = new Compactor(spark, store, settings, clock, FaultInjector.NONE);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        List<String> violations = new CopyOnWriteArrayList<>();
        ExecutorService readerThread = Executors.newSingleThreadExecutor();
        Future<?> reader = readerThread.submit(() -> {
            int lastState = 0;
            while (!stop.get()) {
                try {
                    Totals seen = read(store);
                    int state = states.indexOf(seen);
                    if (state < 0 || state < lastState || seen.rows() != seen.distinctKeys()) {
                        violations.add("read " + reads.get() + " saw " + seen + ", expected one of " + states
                                + " not before state " + lastState);
                    }
                    lastState = Math.max(lastState, state);
                } catch (Exception e) {
                    violations.add("read " + reads.get() + " failed: " + e);
                }
                reads.incrementAndGet();
            }
        });
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> reads.get() >= 1);
            compactor.run(CompactionRequest.upTo(H1.end()));
            compactor.run(CompactionRequest.upTo(H3.end()));
            TestMeasurements.writeStaging(spark, lateH1, store.stagingRoot(), 1);
            compactor.run(CompactionRequest.upTo(H3.end()));
            letTheGracePass(clock, reads);
            CompactionRun deleting = compactor.run(CompactionRequest.upTo(H3.end()));
            assertThat(deleting.cleanup().deleted()).as("superseded files deleted while the reader reads").isPositive();
            TestMeasurements.writeStaging(spark, lateH2, store.stagingRoot(), 1);
            compactor.run(CompactionRequest.upTo(H3.end()));
            letTheGracePass(clock, reads);
            compactor.run(CompactionRequest.upTo(H3.end()));
            int readsAtEnd = reads.get();
            await().atMost(Duration.ofSeconds(120)).until(() -> reads.get() > readsAtEnd);
        } finally {
            stop.set(true);
            reader.get(120, TimeUnit.SECONDS);
            readerThread.shutdown();
        }

        assertThat(violations).isEmpty();
        assertThat(reads.get()).isGreaterThanOrEqualTo(5);
        assertThat(store.stagingFiles()).isEmpty();
        assertThat(read(store)).isEqualTo(states.get(2));
        assertThat(store.currentManifests()).containsOnlyKeys(H1, H2, H3);
        assertThat(store.currentManifest(H1).orElseThrow().version()).isEqualTo(2);
        assertThat(store.currentManifest(H2).orElseThrow().version()).isEqualTo(2);
    }

    /**
     * Waits until the reader has completed a read that began after this call (so every read that
     * listed the store before it is over), then moves the clock past the grace.
     */
    private static void letTheGracePass(MutableClock clock, AtomicInteger reads) {
        int now = reads.get();
        await().atMost(Duration.ofSeconds(120)).until(() -> reads.get() >= now + 2);
        // Twice: unlisted files must also be older than the grace by their real modification time.
        clock.advance(GRACE.multipliedBy(2));
    }

    private static Totals read(MeasurementsStore store) throws IOException {
        StoreSnapshot snapshot = store.snapshot();
        List<String> paths = new ArrayList<>();
        snapshot.warehouseFiles().forEach(path -> paths.add(path.toString()));
        snapshot.stagingFiles().forEach(path -> paths.add(path.toString()));
        Row row = spark.read().schema(MeasurementColumns.SCHEMA).parquet(paths.toArray(String[]::new))
                .agg(count(lit(1)), countDistinct(MeasurementColumns.DEVICE_ID, MeasurementColumns.METRIC_ID,
                        MeasurementColumns.WINDOW_START), sum(MeasurementColumns.EVENT_COUNT))
                .first();
        return new Totals(row.getLong(0), row.getLong(1), row.getLong(2));
    }

    /** What a reader counts: rows, distinct (device, metric, window) keys, and events. */
    private record Totals(long rows, long distinctKeys, long events) {

        @SafeVarargs
        static Totals of(List<Row>... parts) {
            long rows = 0;
            long events = 0;
            for (List<Row> part : parts) {
                rows += part.size();
                events += part.stream().mapToLong(row -> row.getLong(4)).sum();
            }
            return new Totals(rows, rows, events);
        }
    }
}
