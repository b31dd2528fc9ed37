package org.iotpipeline.etl.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.iotpipeline.store.Tier;
import org.iotpipeline.store.TierManifest;
import org.iotpipeline.store.TierPartition;
import org.iotpipeline.store.TierStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hourly and daily tiers built by compaction, checked against DuckDB's own recomputation from
 * the 5-minute files (counts, sums, min, max per hour and per day): after a first run, after a
 * late 5-minute row re-rolls an hour and its day, after a crash at every step of building a tier,
 * and across retention, where dropped 5-minute hours disappear from readers at once while the
 * coarser tiers still answer for them.
 */
class TiersIT {

    private static final HourPartition MAR1_H10 = new HourPartition(2026, 3, 1, 10);
    private static final HourPartition MAR1_H11 = new HourPartition(2026, 3, 1, 11);
    private static final HourPartition MAR2_H00 = new HourPartition(2026, 3, 2, 0);
    private static final HourPartition APR1_H05 = new HourPartition(2026, 4, 1, 5);
    private static final Instant HORIZON = Instant.parse("2026-04-02T00:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(10);

    private static SparkSession spark;

    @TempDir
    java.nio.file.Path dir;
    private MeasurementsStore store;
    private MutableClock clock;
    private CompactionSettings settings;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("TiersIT");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @BeforeEach
    void storeWithFourHoursOverThreeDaysAndTwoMonths() throws IOException {
        store = MeasurementsStore.open(dir.resolve("staging").toUri().toString(), dir.resolve("warehouse").toUri().toString(),
                spark.sparkContext().hadoopConfiguration());
        // The real time: leftovers carry real modification times, which the grace compares with.
        clock = new MutableClock(Instant.now());
        settings = CompactionSettings.fromConfig(ConfigFactory.defaultReference()).withGrace(GRACE);
        List<Row> rows = new ArrayList<>();
        for (HourPartition hour : List.of(MAR1_H10, MAR1_H11, MAR2_H00, APR1_H05)) {
            rows.addAll(exactRows(hour, 4, 2, hour.hour()));
        }
        TestMeasurements.writeStaging(spark, rows, store.stagingRoot(), 3);
    }

    @Test
    void tierRowsEqualDuckDbsRecomputationAndALateRowReRollsTheHourItsDayAndItsMonth() throws IOException {
        CompactionRun first = compactor(FaultInjector.NONE).run(CompactionRequest.upTo(HORIZON));

        assertThat(first.tiers()).extracting(b -> b.partition().toString()).containsExactly(
                "measurements_1h/year=2026/month=3/day=1", "measurements_1h/year=2026/month=3/day=2",
                "measurements_1h/year=2026/month=4/day=1", "measurements_1d/year=2026/month=3",
                "measurements_1d/year=2026/month=4");
        assertTiersMatchFiveMinuteRows();

        // A late 5-minute row into hour 10 of March 1st: a key that exists and one that does not.
        Timestamp w = Timestamp.from(MAR1_H10.start().plusSeconds(600));
        TestMeasurements.writeStaging(spark, List.of(
                RowFactory.create(w, new Timestamp(w.getTime() + 300_000), 0, 0, 2L, 5.0, 2.0, 3.0, 2.5),
                RowFactory.create(w, new Timestamp(w.getTime() + 300_000), 77, 0, 1L, 0.5, 0.5, 0.5, 0.5)),
                store.stagingRoot(), 1);
        CompactionRun second = compactor(FaultInjector.NONE).run(CompactionRequest.upTo(HORIZON));

        assertThat(second.compacted()).extracting(HourCompaction::hour).containsExactly(MAR1_H10);
        assertThat(second.tiers()).extracting(b -> b.partition().toString() + " v" + b.version())
                .containsExactly("measurements_1h/year=2026/month=3/day=1 v2", "measurements_1d/year=2026/month=3 v2");
        assertTiersMatchFiveMinuteRows();
        // Nothing to do a third time.
        assertThat(compactor(FaultInjector.NONE).run(CompactionRequest.upTo(HORIZON)).tiers()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = CompactionStep.class, names = {"WRITTEN_HIDDEN", "RENAMING", "RENAMED", "VERIFIED", "PUBLISHED"})
    void aCrashAtAnyStepOfBuildingATierConvergesWithoutALostOrDoubledRow(CompactionStep step) throws IOException {
        FaultInjector crashOnce = new FaultInjector() {
            private boolean fired;

            @Override
            public void reached(CompactionStep at, HourPartition hour) {
            }

            @Override
            public void reached(CompactionStep at, TierPartition partition) {
                if (at == step && partition.tier() == Tier.DAILY && !fired) {
                    fired = true;
                    throw new Error("injected crash at " + at + " of " + partition);
                }
            }
        };
        assertThatThrownBy(() -> compactor(crashOnce).run(CompactionRequest.upTo(HORIZON)))
                .isInstanceOf(Error.class).hasMessageContaining("injected crash at " + step);

        for (int run = 0; run < 3; run++) {
            clock.advance(GRACE.multipliedBy(2));
            compactor(FaultInjector.NONE).run(CompactionRequest.upTo(HORIZON));
        }

        assertTiersMatchFiveMinuteRows();
        for (Tier tier : Tier.values()) {
            TierStore tierStore = TierStore.of(store, tier);
            for (Map.Entry<TierPartition, TierStore.Listing> partition : tierStore.list().entrySet()) {
                TierManifest current = tierStore.currentManifests().get(partition.getKey());
                assertThat(partition.getValue().dataFiles()).extracting(f -> f.getPath().getName())
                        .as("%s holds only its current files", partition.getKey())
                        .containsExactlyInAnyOrderElementsOf(current.files());
                assertThat(partition.getValue().manifests()).hasSize(1);
                assertThat(partition.getValue().hidden()).isEmpty();
            }
        }
    }

    @Test
    void retentionDropsWholeHoursAtOnceOnlyWhenTheCoarserTierHoldsThem() throws IOException {
        compactor(FaultInjector.NONE).run(CompactionRequest.upTo(HORIZON));
        List<String> hourlyBefore = tierRows(Tier.HOURLY);
        List<String> dailyBefore = tierRows(Tier.DAILY);
        assertThat(store.snapshot().hours()).containsExactly(MAR1_H10, MAR1_H11, MAR2_H00, APR1_H05);

        // Both finer tiers keep what ended after March 2nd, 00:30: the hours of March 1st and the day
        // March 1st go; hour 0 of March 2nd (ends 01:00) and the day March 2nd stay. Daily: forever.
        Duration limit = Duration.between(Instant.parse("2026-03-02T00:30:00Z"), clock.instant());
        CompactionSettings keeping = settings.withRetention(new Retention(limit, limit, Duration.ZERO));
        CompactionRun dryRun = new Compactor(spark, store, keeping, clock, FaultInjector.NONE)
                .run(CompactionRequest.upTo(HORIZON).asDryRun());
        assertThat(dryRun.retention().hours()).containsExactly(MAR1_H10.relativePath(), MAR1_H11.relativePath());
        assertThat(store.snapshot().hours()).as("a dry run drops nothing").hasSize(4);

        CompactionRun run = new Compactor(spark, store, keeping, clock, FaultInjector.NONE).run(CompactionRequest.upTo(HORIZON));

        assertThat(run.retention().hours()).containsExactly(MAR1_H10.relativePath(), MAR1_H11.relativePath());
        assertThat(run.retention().days()).containsExactly("measurements_1h/year=2026/month=3/day=1");
        assertThat(run.retention().months()).isEmpty();
        assertThat(store.snapshot().hours()).containsExactly(MAR2_H00, APR1_H05);
        assertThat(store.currentManifest(MAR1_H10)).hasValueSatisfying(m -> assertThat(m.retired()).isTrue());
        // The hourly tier lost March 1st too; the daily tier still answers for every event.
        assertThat(tierRows(Tier.HOURLY)).hasSize(hourlyBefore.size() - 2 * 4 * 2)
                .allMatch(row -> !row.startsWith(Long.toString(MAR1_H10.start().toEpochMilli())));
        assertThat(tierRows(Tier.DAILY)).isEqualTo(dailyBefore);
        // Nothing is built again from what was dropped, and the dropped files go after the grace.
        clock.advance(GRACE.multipliedBy(2));
        CompactionRun later = new Compactor(spark, store, keeping, clock, FaultInjector.NONE).run(CompactionRequest.upTo(HORIZON));
        assertThat(later.tiers()).isEmpty();
        assertThat(store.warehouseFiles().getOrDefault(MAR1_H10, List.of())).isEmpty();
        assertThat(tierRows(Tier.DAILY)).isEqualTo(dailyBefore);
    }

    @Test
    void retentionRefusesLimitsThatWouldDropWhatMayStillArrive() {
        Retention week = new Retention(Duration.ofDays(7), Duration.ZERO, Duration.ZERO);
        assertThatThrownBy(() -> week.requireBeyond(Duration.ofDays(7)))
                .hasMessageContaining("must be at least iot.events.max-event-age + 1 day");
        assertThatThrownBy(() -> new Retention(Duration.ofDays(30), Duration.ofDays(10), Duration.ZERO))
                .hasMessageContaining("retention.hourly (PT240H) must be 0 (forever) or at least retention.five-minute");
    }

    private Compactor compactor(FaultInjector faults) {
        return new Compactor(spark, store, settings, clock, faults);
    }

    /** Rows of one hour whose values are multiples of 1/16, so every order of adding them gives the same sum. */
    private static List<Row> exactRows(HourPartition hour, int devices, int metrics, int seed) {
        List<Row> rows = new ArrayList<>();
        for (int window = 0; window < 12; window += 3) {
            Instant start = hour.start().plusSeconds(300L * window);
            for (int device = 0; device < devices; device++) {
                for (int metric = 0; metric < metrics; metric++) {
                    long count = 1 + (device + metric + window + seed) % 4;
                    double min = (device * 3 + metric + seed) / 16.0;
                    double max = min + (window + 1) / 16.0;
                    double sum = min * count + (window + 1) / 16.0;
                    rows.add(RowFactory.create(Timestamp.from(start), Timestamp.from(start.plusSeconds(300)), device, metric,
                            count, sum, min, max, sum / count));
                }
            }
        }
        return rows;
    }

    private void assertTiersMatchFiveMinuteRows() throws IOException {
        List<String> fiveMinuteFiles = new ArrayList<>();
        for (Map.Entry<HourPartition, HourManifest> hour : store.currentManifests().entrySet()) {
            hour.getValue().files().forEach(f -> fiveMinuteFiles.add(new Path(store.warehouseHourDir(hour.getKey()), f)
                    .toUri().getPath()));
        }
        assertThat(tierRows(Tier.HOURLY)).isEqualTo(duckDb(fiveMinuteFiles, "hour"));
        assertThat(tierRows(Tier.DAILY)).isEqualTo(duckDb(fiveMinuteFiles, "day"));
    }

    /** The tier's rows as Spark reads its current files: window start, key, count, sum, min, max. */
    private List<String> tierRows(Tier tier) throws IOException {
        List<Path> files = TierStore.of(store, tier).snapshot();
        if (files.isEmpty()) {
            return List.of();
        }
        return spark.read().schema(tier.readSchema()).option("basePath", TierStore.of(store, tier).root().toString())
                .parquet(files.stream().map(Path::toString).toArray(String[]::new))
                .selectExpr("unix_millis(window_start)", "unix_millis(window_end) - unix_millis(window_start)", "device_id",
                        "metric_id", "event_count", "value_sum", "value_min", "value_max", "value_sum / event_count = value_avg")
                .orderBy("unix_millis(window_start)", "device_id", "metric_id")
                .collectAsList().stream().map(r -> r.mkString("|")).toList();
    }

    /** DuckDB's recomputation from the 5-minute files: the oracle. */
    private static List<String> duckDb(List<String> files, String unit) {
        String list = String.join(", ", files.stream().map(f -> "'" + f + "'").toList());
        String sql = "SELECT epoch_ms(date_trunc('" + unit + "', window_start)) AS w, "
                + ("hour".equals(unit) ? 3_600_000 : 86_400_000) + " AS len, device_id, metric_id, sum(event_count), "
                + "sum(value_sum), min(value_min), max(value_max), true FROM read_parquet([" + list + "]) "
                + "GROUP BY ALL ORDER BY w, device_id, metric_id";
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            try (ResultSet r = s.executeQuery(sql)) {
                while (r.next()) {
                    rows.add(r.getLong(1) + "|" + r.getLong(2) + "|" + r.getInt(3) + "|" + r.getInt(4) + "|" + r.getLong(5) + "|"
                            + r.getDouble(6) + "|" + r.getDouble(7) + "|" + r.getDouble(8) + "|" + r.getBoolean(9));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB could not read the 5-minute files: " + e.getMessage(), e);
        }
        return rows;
    }
}
