package org.iotpipeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rows made from events, and partial rows folded: compared with the same figures computed here in
 * plain Java from the events (an oracle that shares nothing with the Spark expressions).
 */
class RollupsTest {

    private static final long WINDOW_MS = 300_000;
    private static final StructType EVENTS = new StructType()
            .add("device_id", DataTypes.IntegerType).add("metric_id", DataTypes.IntegerType)
            .add("ts", DataTypes.LongType).add("v", DataTypes.DoubleType);
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("rollups-test")
                .config("spark.ui.enabled", false).config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", 2).getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void anySplitOfTheEventsIntoPartialRowsFoldsToTheRowsOfAllEventsAtOnce() {
        Random random = new Random(42);
        List<long[]> events = new ArrayList<>(); // device, metric, ts, value * 16
        long start = Instant.parse("2026-11-29T03:00:00Z").toEpochMilli();
        for (int i = 0; i < 3_000; i++) {
            // Distinct timestamps per (device, metric), as de-duplication guarantees.
            events.add(new long[] {random.nextInt(5), random.nextInt(3), start + i * 997L, random.nextInt(4_000) - 2_000});
        }
        List<List<Row>> slices = new ArrayList<>();
        for (int part = 0; part < 7; part++) {
            slices.add(new ArrayList<>());
        }
        for (long[] e : events) {
            slices.get(random.nextInt(slices.size())).add(row(e));
        }
        Dataset<Row> partials = null;
        for (List<Row> slice : slices) {
            Dataset<Row> rows = Rollups.fromEvents(spark.createDataFrame(slice, EVENTS), "ts", "v", Duration.ofMillis(WINDOW_MS));
            partials = partials == null ? rows : partials.unionByName(rows);
        }

        List<Row> merged = Rollups.merge(partials, true).collectAsList();

        assertThat(partials.count()).as("partial rows").isGreaterThan(merged.size());
        assertThat(canonical(merged)).isEqualTo(canonical(oracle(events)));
    }

    @Test
    void eventsAsOneEventRowsFoldWithPartialRowsToTheRowsOfAllEvents() {
        Random random = new Random(7);
        List<long[]> events = new ArrayList<>();
        long start = Instant.parse("2026-11-29T03:58:00Z").toEpochMilli(); // windows in two hours
        for (int i = 0; i < 2_000; i++) {
            events.add(new long[] {random.nextInt(4), random.nextInt(3), start + i * 641L, random.nextInt(4_000) - 2_000});
        }
        List<Row> older = new ArrayList<>();
        List<Row> newer = new ArrayList<>();
        for (long[] e : events) {
            (random.nextBoolean() ? older : newer).add(row(e));
        }
        Dataset<Row> partials = Rollups.fromEvents(spark.createDataFrame(older, EVENTS), "ts", "v", Duration.ofMillis(WINDOW_MS));
        Dataset<Row> single = Rollups.eachEvent(spark.createDataFrame(newer, EVENTS), "ts", "v", Duration.ofMillis(WINDOW_MS));

        Dataset<Row> merged = Rollups.withDerivedPartitions(
                Rollups.merge(partials.select(MeasurementsSchema.dataColumns()).unionByName(single), false));

        assertThat(canonical(merged.collectAsList())).isEqualTo(canonical(oracle(events)));
        assertThat(merged.select("year", "month", "day", "hour").distinct().count())
                .as("hour partitions").isEqualTo(2);
    }

    @Test
    void tiesAtTheSameTimestampAreBrokenByValue() {
        long t = Instant.parse("2026-11-29T03:01:00Z").toEpochMilli();
        List<Row> events = List.of(row(new long[] {1, 1, t, 48}), row(new long[] {1, 1, t, 16}),
                row(new long[] {1, 1, t + 5, 80}), row(new long[] {1, 1, t + 5, 32}));

        Row only = Rollups.fromEvents(spark.createDataFrame(events, EVENTS), "ts", "v", Duration.ofMillis(WINDOW_MS)).first();
        Row folded = Rollups.merge(Rollups.eachEvent(spark.createDataFrame(events, EVENTS), "ts", "v",
                Duration.ofMillis(WINDOW_MS)), false).first();

        for (Row r : List.of(only, folded)) {
            assertThat((double) r.getAs("value_first")).isEqualTo(1.0); // smallest value at the earliest time
            assertThat((double) r.getAs("value_last")).isEqualTo(5.0);  // largest value at the latest time
        }
    }

    @Test
    void rowsWrittenBeforeFirstAndLastExistedFoldWithoutThem() {
        long t = Instant.parse("2026-11-29T03:01:00Z").toEpochMilli();
        Dataset<Row> fresh = Rollups.fromEvents(spark.createDataFrame(List.of(row(new long[] {1, 1, t, 32})), EVENTS),
                "ts", "v", Duration.ofMillis(WINDOW_MS));
        Timestamp windowStart = new Timestamp(Math.floorDiv(t, WINDOW_MS) * WINDOW_MS);
        Dataset<Row> old = spark.createDataFrame(List.of(RowFactory.create(windowStart,
                new Timestamp(windowStart.getTime() + WINDOW_MS), 1, 1, 3L, 30.0, 5.0, 15.0, 10.0, null, null, null, null,
                2026, 11, 29, 3)), MeasurementsSchema.WITH_PARTITIONS);
        Dataset<Row> onlyOld = Rollups.merge(old, true);

        Row merged = Rollups.merge(old.unionByName(fresh), true).first();

        assertThat((long) merged.getAs("event_count")).isEqualTo(4);
        assertThat((double) merged.getAs("value_sum")).isEqualTo(32.0);
        assertThat((double) merged.getAs("value_min")).isEqualTo(2.0);
        assertThat((double) merged.getAs("value_avg")).isEqualTo(8.0);
        assertThat((double) merged.getAs("value_first")).isEqualTo(2.0);
        assertThat(((Timestamp) merged.getAs("last_timestamp")).getTime()).isEqualTo(t);
        assertThat(onlyOld.first().isNullAt(onlyOld.first().fieldIndex("value_first"))).isTrue();
    }

    private static Row row(long[] e) {
        return RowFactory.create((int) e[0], (int) e[1], e[2], e[3] / 16.0);
    }

    /** What each (window, device, metric) must hold, computed in plain Java. */
    private static Map<String, Expected> oracle(List<long[]> events) {
        Map<String, Expected> byKey = new TreeMap<>();
        for (long[] e : events) {
            long windowStart = Math.floorDiv(e[2], WINDOW_MS) * WINDOW_MS;
            byKey.computeIfAbsent(windowStart + "/" + e[0] + "/" + e[1], k -> new Expected()).add(e[2], e[3] / 16.0);
        }
        return byKey;
    }

    private static List<String> canonical(Map<String, Expected> expected) {
        List<String> out = new ArrayList<>();
        expected.forEach((key, e) -> out.add(key + " " + e));
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static List<String> canonical(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            long windowStart = ((Timestamp) r.getAs("window_start")).getTime();
            Expected e = new Expected();
            e.count = r.getAs("event_count");
            e.sum = r.getAs("value_sum");
            e.min = r.getAs("value_min");
            e.max = r.getAs("value_max");
            e.firstTs = ((Timestamp) r.getAs("first_timestamp")).getTime();
            e.first = r.getAs("value_first");
            e.lastTs = ((Timestamp) r.getAs("last_timestamp")).getTime();
            e.last = r.getAs("value_last");
            assertThat((double) r.getAs("value_avg")).isEqualTo(e.sum / e.count);
            assertThat(((Timestamp) r.getAs("window_end")).getTime()).isEqualTo(windowStart + WINDOW_MS);
            assertThat((int) r.getAs("hour")).isEqualTo(Instant.ofEpochMilli(windowStart).atZone(java.time.ZoneOffset.UTC).getHour());
            out.add(windowStart + "/" + r.getAs("device_id") + "/" + r.getAs("metric_id") + " " + e);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static final class Expected {
        long count;
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long firstTs = Long.MAX_VALUE;
        double first;
        long lastTs = Long.MIN_VALUE;
        double last;

        void add(long ts, double value) {
            count++;
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
            if (ts < firstTs) {
                firstTs = ts;
                first = value;
            }
            if (ts > lastTs) {
                lastTs = ts;
                last = value;
            }
        }

        @Override
        public String toString() {
            return count + " " + sum + " " + min + " " + max + " " + firstTs + "=" + first + " " + lastTs + "=" + last;
        }
    }
}
