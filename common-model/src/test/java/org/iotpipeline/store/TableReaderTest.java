package org.iotpipeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three tables over a store laid out by hand: the moment a window turns final is the one a
 * reader can catch with an older pointer and a newer listing (the pointer is read first); the
 * window must then appear once, as its final row.
 */
class TableReaderTest {

    private static final long W = Instant.parse("2026-11-29T03:10:00Z").toEpochMilli();
    private static final StructType EVENTS = new StructType()
            .add("device_id", DataTypes.IntegerType).add("metric_id", DataTypes.IntegerType)
            .add("ts", DataTypes.LongType).add("v", DataTypes.DoubleType);
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("table-reader-test")
                .config("spark.ui.enabled", false).config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", 2).getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @ParameterizedTest(name = "live rows on the driver up to {0}")
    @ValueSource(ints = {0, 100})
    void aWindowThatTurnedFinalAfterThePointerWasReadAppearsOnceAsItsFinalRow(int liveRowsOnDriver) throws IOException {
        MeasurementsStore store = store("staging", "warehouse");
        LiveArea live = live("live");
        // Batch 7 left two windows open: device 1 (2 events) and device 2 (1 event).
        rows(event(1, W + 1_000, 1.0), event(1, W + 2_000, 2.0), event(2, W + 3_000, 5.0))
                .write().parquet(live.openWindowsDir("b-000000007").toString());
        LatestReadings.lastOfEachRollup(rows(event(1, W + 2_000, 2.0), event(2, W + 3_000, 5.0)))
                .write().parquet(live.latestDir("b-000000007").toString());
        live.publish(new LivePointer(7, W, W + 3_000, "b-000000007", "b-000000007", 300_000, 0));
        // Batch 8 made device 1's window final with one more event; its pointer is not out yet.
        rows(event(1, W + 1_000, 1.0), event(1, W + 2_000, 2.0), event(1, W + 4_000, 4.0))
                .write().mode(SaveMode.Append).partitionBy(MeasurementsSchema.PARTITION_COLUMNS.toArray(String[]::new))
                .parquet(store.stagingRoot().toString());
        TableReader reader = new TableReader(spark, store, Optional.of(live), liveRowsOnDriver);

        TableReader.Tables tables = reader.read(reader.list());

        List<Row> rows = tables.measurementsLive().orderBy("device_id").collectAsList();
        assertThat(rows).extracting(r -> r.getInt(2) + ":" + r.getLong(4) + ":" + r.getDouble(5) + ":" + r.getBoolean(r.fieldIndex("final")))
                .containsExactly("1:3:7.0:true", "2:1:5.0:false");
        assertThat(tables.measurements().count()).isEqualTo(1);
        assertThat(tables.finalRows().ofOpenHoursOnDriver().isPresent()).as("one row per window: merged on the driver")
                .isEqualTo(liveRowsOnDriver > 0);
        assertThat(tables.latestReadings().orderBy("device_id").collectAsList()).extracting(r -> r.getInt(0) + "=" + r.getDouble(3))
                .containsExactly("1=2.0", "2=5.0");
    }

    @ParameterizedTest(name = "live rows on the driver up to {0}")
    @ValueSource(ints = {0, 100})
    void latestReadingsAreTheNewestOfTheLatestSnapshotAndTheOpenWindows(int liveRowsOnDriver) throws IOException {
        MeasurementsStore store = store("staging-latest", "warehouse-latest");
        LiveArea live = live("live-latest");
        // The latest readings as of batch 4 (the last one that wrote to staging): device 1 from a late
        // row newer than its open window, device 2 older than its open window, device 3 quiet since.
        LatestReadings.lastOfEachRollup(rows(event(1, W + 5_000, 9.0), event(2, W - 1_000, 0.5), event(3, W - 2_000, 3.0)))
                .write().parquet(live.latestDir("b-000000004").toString());
        // Batch 9 wrote no staging rows, so it kept batch 4's latest readings.
        rows(event(1, W + 1_000, 1.0), event(1, W + 2_000, 2.0), event(2, W + 3_000, 5.0))
                .write().parquet(live.openWindowsDir("b-000000009").toString());
        live.publish(new LivePointer(9, W, W + 5_000, "b-000000009", "b-000000004", 300_000, 0));
        TableReader reader = new TableReader(spark, store, Optional.of(live), liveRowsOnDriver);

        TableReader.Tables tables = reader.read(reader.list());

        assertThat(tables.latestReadings().orderBy("device_id").collectAsList())
                .extracting(r -> r.getInt(0) + "=" + r.getDouble(3) + "@" + r.getTimestamp(2).getTime())
                .containsExactly("1=9.0@" + (W + 5_000), "2=5.0@" + (W + 3_000), "3=3.0@" + (W - 2_000));
    }

    @ParameterizedTest(name = "live rows on the driver up to {0}")
    @ValueSource(ints = {0, 100})
    void theFinalRowsOfTheHoursOfOpenWindowsAreASmallPartCountedOnce(int liveRowsOnDriver) throws IOException {
        MeasurementsStore store = store("staging-open-hours", "warehouse-open-hours");
        LiveArea live = live("live-open-hours");
        long twoHoursEarlier = W - Duration.ofHours(2).toMillis();
        toStaging(store, rows(event(5, twoHoursEarlier, 1.0)));
        // Window W is final, with a late row in a second file; the pointer was read before it closed.
        toStaging(store, rows(event(1, W + 1_000, 1.0)));
        toStaging(store, rows(event(1, W + 2_000, 3.0)));
        rows(event(1, W + 1_000, 1.0), event(2, W + 301_000, 7.0)).write().parquet(live.openWindowsDir("b-000000003").toString());
        live.publish(new LivePointer(3, W + 300_000, W + 301_000, "b-000000003", null, 300_000, 0));
        TableReader reader = new TableReader(spark, store, Optional.of(live), liveRowsOnDriver);

        TableReader.Tables tables = reader.read(reader.list());

        // Open windows start after watermark − window = W: only hour 03 can hold one, folded per window.
        assertThat(tables.liveParts().get(0).collectAsList()).extracting(TableReaderTest::describe)
                .containsExactly("1:2:4.0:final");
        assertThat(tables.finalRows().ofOpenHoursOnDriver()).as("a late row: Spark merges").isEmpty();
        assertThat(tables.measurements().orderBy("device_id").collectAsList()).extracting(TableReaderTest::describe)
                .containsExactly("1:2:4.0:final", "5:1:1.0:final");
        assertThat(tables.measurementsLive().orderBy("device_id").collectAsList()).extracting(TableReaderTest::describe)
                .containsExactly("1:2:4.0:final", "2:1:7.0:provisional", "5:1:1.0:final");
    }

    @ParameterizedTest(name = "live rows on the driver up to {0}")
    @ValueSource(ints = {0, 100})
    void beforeTheFirstWatermarkAFinalRowOfAnyHourHidesItsProvisionalRow(int liveRowsOnDriver) throws IOException {
        MeasurementsStore store = store("staging-no-watermark", "warehouse-no-watermark");
        LiveArea live = live("live-no-watermark");
        long twoHoursEarlier = W - Duration.ofHours(2).toMillis();
        toStaging(store, rows(event(5, twoHoursEarlier, 1.0)));
        rows(event(5, twoHoursEarlier, 1.0), event(2, W, 7.0)).write().parquet(live.openWindowsDir("b-000000000").toString());
        live.publish(new LivePointer(0, null, W, "b-000000000", null, 300_000, 0));
        TableReader reader = new TableReader(spark, store, Optional.of(live), liveRowsOnDriver);

        TableReader.Tables tables = reader.read(reader.list());

        assertThat(tables.measurementsLive().orderBy("device_id").collectAsList()).extracting(TableReaderTest::describe)
                .containsExactly("2:1:7.0:provisional", "5:1:1.0:final");
    }

    @ParameterizedTest(name = "live rows on the driver up to {0}")
    @ValueSource(ints = {0, 100})
    void aListingReusesTheFinalTablesOfAnEarlierOneOnlyWhileItsFilesAndOpenHoursAreTheSame(int liveRowsOnDriver) throws IOException {
        MeasurementsStore store = store("staging-reuse", "warehouse-reuse");
        LiveArea live = live("live-reuse");
        toStaging(store, rows(event(1, W + 1_000, 1.0)));
        rows(event(2, W + 301_000, 7.0)).write().parquet(live.openWindowsDir("b-000000003").toString());
        live.publish(new LivePointer(3, W + 300_000, W + 301_000, "b-000000003", null, 300_000, 0));
        TableReader reader = new TableReader(spark, store, Optional.of(live), liveRowsOnDriver);
        TableReader.Tables first = reader.read(reader.list());

        // Batch 4 moved only the pointer: the final tables are the earlier ones, the live ones new.
        rows(event(2, W + 301_000, 7.0), event(3, W + 302_000, 8.0)).write().parquet(live.openWindowsDir("b-000000004").toString());
        live.publish(new LivePointer(4, W + 300_000, W + 302_000, "b-000000004", null, 300_000, 0));
        TableReader.Tables pointerMoved = reader.read(reader.list(), Optional.of(first));

        assertThat(pointerMoved.measurements()).isSameAs(first.measurements());
        assertThat(pointerMoved.driverRows().map(TableReader.DriverRows::finalKeys).orElse(null))
                .isSameAs(first.driverRows().map(TableReader.DriverRows::finalKeys).orElse(null));
        assertThat(pointerMoved.driverRows().isPresent()).isEqualTo(liveRowsOnDriver > 0);
        assertThat(pointerMoved.hourly()).isSameAs(first.hourly());
        assertThat(pointerMoved.daily()).isSameAs(first.daily());
        assertThat(pointerMoved.measurementsLive().orderBy("device_id").collectAsList()).extracting(TableReaderTest::describe)
                .containsExactly("1:1:1.0:final", "2:1:7.0:provisional", "3:1:8.0:provisional");

        // An earlier watermark (an ETL restarted from an older checkpoint): open windows may start
        // earlier than the final keys on the driver go back, so they are read again.
        live.publish(new LivePointer(5, W + 200_000, W + 302_000, "b-000000004", null, 300_000, 0));
        TableReader.Tables earlierWatermark = reader.read(reader.list(), Optional.of(pointerMoved));

        assertThat(earlierWatermark.measurements()).isSameAs(first.measurements());
        if (liveRowsOnDriver > 0) {
            assertThat(earlierWatermark.driverRows().orElseThrow().finalKeys())
                    .isNotSameAs(pointerMoved.driverRows().orElseThrow().finalKeys());
        }

        // A late row to an hour no open window falls into: new final tables, the open hours' part
        // as it was (not read again).
        toStaging(store, rows(event(5, W - Duration.ofHours(2).toMillis(), 1.0)));
        TableReader.Tables olderHour = reader.read(reader.list(), Optional.of(earlierWatermark));

        assertThat(olderHour.measurements()).isNotSameAs(first.measurements());
        assertThat(olderHour.finalRows().ofOpenHours().orElseThrow()).isSameAs(first.finalRows().ofOpenHours().orElseThrow());
        assertThat(olderHour.measurements().orderBy("device_id").collectAsList()).extracting(TableReaderTest::describe)
                .containsExactly("1:1:1.0:final", "5:1:1.0:final");

        // A late row arrived: a new staging file, so new final tables.
        toStaging(store, rows(event(1, W + 2_000, 3.0)));
        TableReader.Tables newFile = reader.read(reader.list(), Optional.of(olderHour));

        assertThat(newFile.measurements()).isNotSameAs(first.measurements());
        assertThat(newFile.finalRows().ofOpenHours().orElseThrow()).isNotSameAs(first.finalRows().ofOpenHours().orElseThrow());
        assertThat(newFile.measurements().orderBy("device_id").collectAsList()).extracting(TableReaderTest::describe)
                .containsExactly("1:2:4.0:final", "5:1:1.0:final");

        // The watermark left hour 03 behind: the same files, split in other parts.
        live.publish(new LivePointer(6, W + 3_600_000, W + 3_600_000, "b-000000004", null, 300_000, 0));
        TableReader.Tables hourClosed = reader.read(reader.list(), Optional.of(newFile));

        assertThat(hourClosed.measurements()).isNotSameAs(newFile.measurements());
        assertThat(hourClosed.finalRows().ofOpenHours()).isEmpty();
        assertThat(hourClosed.measurements().orderBy("device_id").collectAsList()).extracting(TableReaderTest::describe)
                .containsExactly("1:2:4.0:final", "5:1:1.0:final");
    }

    @ParameterizedTest(name = "live rows on the driver up to {0}")
    @ValueSource(ints = {0, 100})
    void aWindowOfAnEarlierRunsLongerWindowThatTurnedFinalAppearsOnce(int liveRowsOnDriver) throws IOException {
        MeasurementsStore store = store("staging-longer", "warehouse-longer");
        LiveArea live = live("live-longer");
        // The run before used 10-minute windows: its window W is still open when this run (5-minute
        // windows) has its watermark at W + 10 min, so it starts before watermark − window.
        long tenMinutes = 600_000;
        Dataset<Row> longWindow = rows(event(1, W + 1_000, 1.0))
                .withColumn("window_end", org.apache.spark.sql.functions.lit(new java.sql.Timestamp(W + tenMinutes)));
        longWindow.write().parquet(live.openWindowsDir("b-000000003").toString());
        live.publish(new LivePointer(3, W + tenMinutes, W + tenMinutes, "b-000000003", null, 300_000, 0));
        // The next batch made it final before publishing its pointer.
        toStaging(store, rows(event(1, W + 1_000, 1.0), event(1, W + 2_000, 2.0))
                .withColumn("window_end", org.apache.spark.sql.functions.lit(new java.sql.Timestamp(W + tenMinutes))));
        TableReader reader = new TableReader(spark, store, Optional.of(live), liveRowsOnDriver);

        TableReader.Tables tables = reader.read(reader.list());

        assertThat(tables.measurementsLive().collectAsList()).extracting(TableReaderTest::describe)
                .containsExactly("1:2:3.0:final");
    }

    @ParameterizedTest(name = "live rows on the driver up to {0}")
    @ValueSource(ints = {0, 100})
    void aStagingHourWrittenWithLeadingZerosIsAnOpenHourToo(int liveRowsOnDriver) throws IOException {
        MeasurementsStore store = store("staging-padded", "warehouse-padded");
        LiveArea live = live("live-padded");
        rows(event(1, W + 1_000, 1.0)).write().parquet(live.openWindowsDir("b-000000007").toString());
        live.publish(new LivePointer(7, W, W + 1_000, "b-000000007", null, 300_000, 0));
        // The window's final row, in an hour directory another writer named with leading zeros.
        rows(event(1, W + 1_000, 1.0), event(1, W + 4_000, 4.0)).drop(MeasurementsSchema.PARTITION_COLUMNS.toArray(String[]::new))
                .write().parquet(store.stagingRoot() + "/year=2026/month=11/day=29/hour=03");
        TableReader reader = new TableReader(spark, store, Optional.of(live), liveRowsOnDriver);

        TableReader.Tables tables = reader.read(reader.list());

        assertThat(tables.measurementsLive().collectAsList()).extracting(TableReaderTest::describe)
                .containsExactly("1:2:5.0:final");
    }

    @Test
    void theDriverPathWorksWithJavaTimeAsTheQueryServerReadsIt() throws IOException {
        // The query server sets spark.sql.datetime.java8API.enabled: rows carry Instant, not Timestamp.
        spark.conf().set("spark.sql.datetime.java8API.enabled", true);
        try {
            aWindowThatTurnedFinalAfterThePointerWasReadAppearsOnceAsItsFinalRow(100);
            aWindowOfAnEarlierRunsLongerWindowThatTurnedFinalAppearsOnce(100);
        } finally {
            spark.conf().unset("spark.sql.datetime.java8API.enabled");
        }
    }

    @Test
    void aLivePartWithMoreRowsThanTheDriverMayHoldIsLeftToSpark() throws IOException {
        MeasurementsStore store = store("staging-too-many", "warehouse-too-many");
        LiveArea live = live("live-too-many");
        toStaging(store, rows(event(1, W + 1_000, 1.0)));
        rows(event(1, W + 1_000, 1.0), event(2, W + 2_000, 7.0), event(3, W + 3_000, 8.0))
                .write().parquet(live.openWindowsDir("b-000000003").toString());
        live.publish(new LivePointer(3, W, W + 3_000, "b-000000003", null, 300_000, 0));
        TableReader reader = new TableReader(spark, store, Optional.of(live), 2);

        TableReader.Tables tables = reader.read(reader.list());

        assertThat(tables.driverRows()).isEmpty();
        assertThat(tables.measurementsLive().orderBy("device_id").collectAsList()).extracting(TableReaderTest::describe)
                .containsExactly("1:1:1.0:final", "2:1:7.0:provisional", "3:1:8.0:provisional");
        assertThat(tables.latestReadings().count()).isEqualTo(3);
    }

    @Test
    void theDriverKeepsTheNewestReadingsSparkKeeps() {
        // Few timestamps and values: many ties, broken by the value (NaN, -0.0 and null among them);
        // some readings without a time.
        java.util.Random random = new java.util.Random(42);
        List<Row> readings = new java.util.ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            java.sql.Timestamp time = random.nextInt(10) == 0 ? null : new java.sql.Timestamp(W + 1_000L * random.nextInt(4));
            double[] values = {-1.0, -0.0, 0.0, 1.0, Double.NaN};
            Double value = random.nextInt(20) == 0 ? null : values[random.nextInt(values.length)];
            readings.add(RowFactory.create(random.nextInt(20), random.nextInt(3), time, value));
        }
        Dataset<Row> all = spark.createDataFrame(readings, LatestReadings.SCHEMA);

        List<String> bySpark = LatestReadings.merge(all, all.limit(0)).collectAsList().stream()
                .map(TableReaderTest::reading).sorted().toList();
        List<String> byDriver = LiveRowsOnDriver.newest(readings, List.of()).stream()
                .map(TableReaderTest::reading).sorted().toList();

        assertThat(byDriver).hasSize(60).isEqualTo(bySpark);
    }

    @Test
    void theDriverMergesTheOpenHoursFinalRowsAsSparkDoesWhenEachWindowHasOneRow() throws IOException {
        // One row per window, with what a merge derives written oddly: sums of -0.0, NaN and null,
        // averages that do not match, first/last values without their timestamps, no count.
        java.util.Random random = new java.util.Random(7);
        Double[] values = {-1.5, -0.0, 0.0, 2.25, Double.NaN, null};
        List<Row> written = new java.util.ArrayList<>();
        for (int device = 0; device < 40; device++) {
            for (int window = 0; window < 3; window++) {
                long start = W + window * 300_000L;
                java.sql.Timestamp first = random.nextInt(4) == 0 ? null : new java.sql.Timestamp(start + 1_000);
                java.sql.Timestamp last = random.nextInt(4) == 0 ? null : new java.sql.Timestamp(start + 2_000);
                Long count = random.nextInt(10) == 0 ? null : (long) (1 + random.nextInt(5));
                written.add(RowFactory.create(new java.sql.Timestamp(start), new java.sql.Timestamp(start + 300_000),
                        device, device % 3, count, values[random.nextInt(values.length)], values[random.nextInt(values.length)],
                        values[random.nextInt(values.length)], values[random.nextInt(values.length)], first,
                        values[random.nextInt(values.length)], last, values[random.nextInt(values.length)], 2026, 11, 29, 3));
            }
        }
        MeasurementsStore store = store("staging-one-row", "warehouse-one-row");
        LiveArea live = live("live-one-row");
        toStaging(store, spark.createDataFrame(written, MeasurementsSchema.WITH_PARTITIONS));
        rows(event(1, W + 1_000, 1.0)).write().parquet(live.openWindowsDir("b-000000003").toString());
        live.publish(new LivePointer(3, W, W + 1_000, "b-000000003", null, 300_000, 0));

        TableReader.Tables bySpark = new TableReader(spark, store, Optional.of(live), 0).read(new TableReader(spark, store,
                Optional.of(live), 0).list());
        TableReader onDriver = new TableReader(spark, store, Optional.of(live), 1_000);
        TableReader.Tables byDriver = onDriver.read(onDriver.list());

        assertThat(bySpark.finalRows().ofOpenHoursOnDriver()).isEmpty();
        assertThat(byDriver.finalRows().ofOpenHoursOnDriver()).get().satisfies(rows -> assertThat(rows).hasSize(120));
        assertThat(byDriver.liveParts()).as("nothing left for Spark to fold").isEmpty();
        // Row.toString tells -0.0 from 0.0 and null from NaN.
        List<String> expected = bySpark.measurements().collectAsList().stream().map(Row::toString).sorted().toList();
        assertThat(byDriver.measurements().collectAsList().stream().map(Row::toString).sorted().toList())
                .hasSize(120).isEqualTo(expected);
        assertThat(byDriver.measurementsLive().collectAsList().stream().map(Row::toString).sorted().toList())
                .isEqualTo(bySpark.measurementsLive().collectAsList().stream().map(Row::toString).sorted().toList());
    }

    @Test
    void aFileTheDriverCannotReadLeavesTheLivePartsToSparkInsteadOfFailingTheListing() throws IOException {
        MeasurementsStore store = store("staging-unreadable", "warehouse-unreadable");
        LiveArea live = live("live-unreadable");
        toStaging(store, rows(event(1, W + 1_000, 1.0)));
        // Not Parquet: reading it fails the job (SparkException, a checked exception Spark throws undeclared).
        java.nio.file.Files.writeString(dir.resolve("staging-unreadable/year=2026/month=11/day=29/hour=3")
                .resolve("part-00000-0000-unreadable.c000.snappy.parquet"), "not parquet");
        rows(event(2, W + 2_000, 7.0)).write().parquet(live.openWindowsDir("b-000000003").toString());
        live.publish(new LivePointer(3, W, W + 2_000, "b-000000003", null, 300_000, 0));
        TableReader reader = new TableReader(spark, store, Optional.of(live), 100);

        TableReader.Tables tables = reader.read(reader.list());

        assertThat(tables.listing().snapshot().stagingFiles()).hasSize(2);
        assertThat(tables.finalRows().ofOpenHoursOnDriver()).isEmpty();
        assertThat(tables.finalRows().driverReadFailed()).isTrue();
        assertThat(tables.driverRows()).isEmpty();
        assertThat(tables.liveParts()).isNotEmpty();
        // The same files, another snapshot (a file in another hour): read again, not reused.
        toStaging(store, rows(event(5, W - Duration.ofHours(2).toMillis(), 1.0)));
        TableReader.Tables again = reader.read(reader.list(), Optional.of(tables));
        assertThat(again.finalRows().ofOpenHours().orElseThrow()).isNotSameAs(tables.finalRows().ofOpenHours().orElseThrow());
    }

    @Test
    void withoutALiveAreaTheLiveTableIsTheFinalTable() throws IOException {
        MeasurementsStore store = store("staging", "warehouse");
        rows(event(3, W, 1.0)).write().partitionBy(MeasurementsSchema.PARTITION_COLUMNS.toArray(String[]::new))
                .parquet(store.stagingRoot().toString());
        TableReader reader = new TableReader(spark, store,
                Optional.of(live("nothing-here")));

        TableReader.Tables tables = reader.read(reader.list());

        assertThat(tables.measurementsLive().collectAsList()).extracting(r -> r.getBoolean(r.fieldIndex("final")))
                .containsExactly(true);
        assertThat(tables.latestReadings().count()).isZero();
        assertThat(reader.list().pointer()).isEmpty();
    }

    private static void toStaging(MeasurementsStore store, Dataset<Row> rollups) {
        rollups.write().mode(SaveMode.Append).partitionBy(MeasurementsSchema.PARTITION_COLUMNS.toArray(String[]::new))
                .parquet(store.stagingRoot().toString());
    }

    /** device:event_count:value_sum, and final or provisional (final when the row has no such column). */
    private static String describe(Row row) {
        boolean isFinal = !List.of(row.schema().fieldNames()).contains(TableReader.FINAL) || row.getBoolean(row.fieldIndex(TableReader.FINAL));
        return row.getInt(row.fieldIndex("device_id")) + ":" + row.getLong(row.fieldIndex("event_count")) + ":"
                + row.getDouble(row.fieldIndex("value_sum")) + ":" + (isFinal ? "final" : "provisional");
    }

    /** A reading as text; -0.0 as 0.0, which SQL holds equal (either may win a tie between them). */
    private static String reading(Row row) {
        Object value = row.isNullAt(3) ? null : row.getDouble(3) + 0.0;
        return row.get(0) + "/" + row.get(1) + "@" + row.get(2) + "=" + value;
    }

    private MeasurementsStore store(String staging, String warehouse) throws IOException {
        return MeasurementsStore.open(dir.resolve(staging).toUri().toString(), dir.resolve(warehouse).toUri().toString(),
                new Configuration());
    }

    private LiveArea live(String name) throws IOException {
        return LiveArea.open(dir.resolve(name).toUri().toString(), new Configuration());
    }

    private static Row event(int device, long ts, double value) {
        return RowFactory.create(device, 0, ts, value);
    }

    private static Dataset<Row> rows(Row... events) {
        return Rollups.fromEvents(spark.createDataFrame(List.of(events), EVENTS), "ts", "v", Duration.ofMinutes(5))
                .coalesce(1);
    }

}
