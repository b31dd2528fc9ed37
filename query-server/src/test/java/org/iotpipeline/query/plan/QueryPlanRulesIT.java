package org.iotpipeline.query.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.And;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.LocalTableScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.iotpipeline.query.QueryThreads;
import org.iotpipeline.query.testing.TestSpark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query server's plan changes on a real local SparkSession built as the server builds it:
 * constant statements are answered without a Spark job ({@link ConstantStatements}), and filters on
 * {@code window_start} read only the partitions that can match ({@link TimePartitionPruning}) — with
 * exactly the rows a full scan finds.
 */
class QueryPlanRulesIT {

    /** Every 5 minutes from 2026-10-31T21:00Z to 2026-11-01T02:55Z: six hours across a month and day boundary. */
    private static final Instant FIRST = Instant.parse("2026-10-31T21:00:00Z");
    private static final int WINDOWS = 6 * 12;

    private static SparkSession spark;

    @TempDir
    static Path root;

    @BeforeAll
    static void startSpark() {
        spark = TestSpark.start();
        // The files a scan read are counted on its physical node, which adaptive execution wraps.
        spark.conf().set("spark.sql.adaptive.enabled", "false");
        String rows = "SELECT window_start, year(window_start) AS year, month(window_start) AS month,"
                + " day(window_start) AS day, hour(window_start) AS hour, 1.0D AS value FROM (SELECT explode(sequence("
                + "TIMESTAMP '2026-10-31 21:00:00', TIMESTAMP '2026-11-01 02:55:00', INTERVAL 5 MINUTES)) AS window_start)";
        Dataset<Row> windows = spark.sql(rows);
        assertThat(windows.count()).isEqualTo(WINDOWS);
        windows.write().partitionBy("year", "month", "day", "hour").mode(SaveMode.Overwrite)
                .parquet(root.resolve("hourly").toString());
        windows.write().partitionBy("year", "month", "day").mode(SaveMode.Overwrite)
                .parquet(root.resolve("daily").toString());
        spark.read().parquet(root.resolve("hourly").toString()).createOrReplaceTempView("by_hour");
        spark.read().parquet(root.resolve("daily").toString()).createOrReplaceTempView("by_day");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void aConstantStatementIsAnsweredOnTheDriver() {
        Dataset<Row> constant = ConstantStatements.answeredOnDriver(
                spark.sql("SELECT 1 AS one, 'x' AS s, 2 + 3 AS five WHERE 1 < 2")).limit(11);

        assertThat(constant.queryExecution().executedPlan()).isInstanceOf(LocalTableScanExec.class);
        assertThat(constant.collectAsList()).extracting(Row::toString).containsExactly("[1,x,5]");
        Dataset<Row> none = ConstantStatements.answeredOnDriver(spark.sql("SELECT 1 WHERE 1 > 2"));
        assertThat(none.queryExecution().executedPlan()).isInstanceOf(LocalTableScanExec.class);
        assertThat(none.collectAsList()).isEmpty();
        // Spark binds parameters by optimizing a projection over the one-row relation itself and
        // expects a projection back: the session's own optimizer must leave that shape alone.
        Dataset<Row> bound = spark.sql("SELECT :p + 1 AS v", Map.of("p", 41));
        assertThat(bound.queryExecution().executedPlan()).isNotInstanceOf(LocalTableScanExec.class);
        Dataset<Row> boundOnDriver = ConstantStatements.answeredOnDriver(bound);
        assertThat(boundOnDriver.queryExecution().executedPlan()).isInstanceOf(LocalTableScanExec.class);
        assertThat(boundOnDriver.collectAsList()).extracting(r -> r.getInt(0)).containsExactly(42);
    }

    @Test
    void statementsThatAreNotOnlyConstantsKeepSparksPlanAndAnswer() {
        for (String sql : List.of("SELECT explode(array(1, 2, 3)) AS n", "SELECT (SELECT max(value) FROM by_hour) AS m",
                "SELECT count(*) AS c FROM by_hour WHERE hour = 23")) {
            Dataset<Row> statement = spark.sql(sql);
            assertThat(ConstantStatements.answeredOnDriver(statement)).as(sql).isSameAs(statement);
        }
        assertThat(spark.sql("SELECT explode(array(1, 2, 3)) AS n").collectAsList()).extracting(r -> r.getInt(0))
                .containsExactly(1, 2, 3);
        assertThat(spark.sql("SELECT count(*) FROM by_hour WHERE hour = 23").collectAsList())
                .extracting(r -> r.getLong(0)).containsExactly(12L);
    }

    @Test
    void aTimeRangeReadsOnlyItsHoursAndFindsEveryRow() {
        List<String> bounds = List.of("2026-10-31 21:00:00", "2026-10-31 22:00:00", "2026-10-31 22:05:00",
                "2026-10-31 22:59:59.999999", "2026-10-31 23:55:00", "2026-11-01 00:00:00", "2026-11-01 00:00:00.000001",
                "2026-11-01 02:55:00", "2026-11-01 03:00:00", "2026-10-31 20:00:00");
        for (String table : List.of("by_hour", "by_day")) {
            for (String bound : bounds) {
                Instant t = LocalDateTime.parse(bound.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
                check(table, "window_start >= TIMESTAMP '" + bound + "'", w -> !w.isBefore(t));
                check(table, "window_start > TIMESTAMP '" + bound + "'", w -> w.isAfter(t));
                check(table, "window_start < TIMESTAMP '" + bound + "'", w -> w.isBefore(t));
                check(table, "window_start <= TIMESTAMP '" + bound + "'", w -> !w.isAfter(t));
                check(table, "window_start = TIMESTAMP '" + bound + "'", w -> w.equals(t));
                check(table, "TIMESTAMP '" + bound + "' < window_start", w -> w.isAfter(t));
                check(table, "TIMESTAMP '" + bound + "' >= window_start", w -> !w.isAfter(t));
            }
        }
        check("by_hour", "window_start BETWEEN '2026-10-31 23:10:00' AND '2026-11-01 00:20:00' AND value > 0",
                w -> !w.isBefore(Instant.parse("2026-10-31T23:10:00Z")) && !w.isAfter(Instant.parse("2026-11-01T00:20:00Z")));
        // A bound computed from the clock is folded to a literal before the rule runs: it prunes too.
        check("by_hour", "window_start >= current_timestamp() - INTERVAL 1 HOUR", w -> false);
        // A disjunction implies no range: every hour is read, and the answer is the same.
        Dataset<Row> either = spark.sql("SELECT count(*) FROM by_hour WHERE window_start >= TIMESTAMP '2026-11-01 01:00:00'"
                + " OR value < 0");
        assertThat(either.collectAsList()).extracting(r -> r.getLong(0)).containsExactly(24L);
        assertThat(filesRead(either)).isEqualTo(6);
    }

    @Test
    void aStatementWithThousandsOfBoundsAddsOnlyTheTightestTwo() throws Exception {
        // 1,500 lower bounds on 1,500 different days (each would imply a different partition condition),
        // the tightest of them 2026-10-31 23:24:59.
        StringBuilder where = new StringBuilder("value > 0");
        for (int daysBefore = 1499; daysBefore >= 0; daysBefore--) {
            where.append(String.format(Locale.ROOT, " AND window_start >= TIMESTAMP '%s 23:24:59'",
                    java.time.LocalDate.of(2026, 10, 31).minusDays(daysBefore)));
        }
        where.append(" AND window_start < TIMESTAMP '2026-11-01 01:00:00' AND window_start < TIMESTAMP '2026-11-01 02:00:00'");
        // On a thread like the server's: Spark's parser recurses once per AND (QueryThreads).
        ExecutorService queryThread = Executors.newSingleThreadExecutor(QueryThreads.named("test-query"));
        try {
            queryThread.submit(() -> {
                Dataset<Row> many = spark.sql("SELECT count(*) FROM by_hour WHERE " + where);

                // Windows from 23:25 (the largest lower bound, 23:24:59) to 00:55: 7 + 12 = 19.
                assertThat(many.collectAsList()).extracting(r -> r.getLong(0)).containsExactly(19L);
                assertThat(filesRead(many)).isEqualTo(2);
                // The statement's 1,503 conditions, Spark's not-null checks and two derived ones — not one per bound.
                assertThat(conjunctsOfScanFilter(many.queryExecution().optimizedPlan())).isBetween(1505, 1520);
                return null;
            }).get();
        } finally {
            queryThread.shutdownNow();
        }
    }

    private static int conjunctsOfScanFilter(LogicalPlan plan) {
        if (plan instanceof Filter filter && filter.child() instanceof LogicalRelation) {
            return conjuncts(filter.condition());
        }
        assertThat(plan.children().size()).as("a single chain down to the scan: %s", plan).isEqualTo(1);
        return conjunctsOfScanFilter(plan.children().head());
    }

    private static int conjuncts(Expression condition) {
        return condition instanceof And and ? conjuncts(and.left()) + conjuncts(and.right()) : 1;
    }

    @Test
    void aOneHourRangeOpensOneFile() {
        Dataset<Row> hour = spark.sql("SELECT count(*) FROM by_hour WHERE window_start >= TIMESTAMP '2026-10-31 23:00:00'"
                + " AND window_start < TIMESTAMP '2026-11-01 00:00:00'");

        assertThat(hour.collectAsList()).extracting(r -> r.getLong(0)).containsExactly(12L);
        assertThat(filesRead(hour)).isEqualTo(1);
    }

    /**
     * The filter finds exactly the rows the predicate selects, and reads no partition other than
     * those holding a match and the partitions of the bound itself.
     */
    private static void check(String table, String where, Predicate<Instant> selects) {
        ChronoUnit unit = table.equals("by_hour") ? ChronoUnit.HOURS : ChronoUnit.DAYS;
        List<Instant> expected = new ArrayList<>();
        Set<Instant> matchingPartitions = new TreeSet<>();
        for (int i = 0; i < WINDOWS; i++) {
            Instant window = FIRST.plus(5L * i, ChronoUnit.MINUTES);
            if (selects.test(window)) {
                expected.add(window);
                matchingPartitions.add(window.truncatedTo(unit));
            }
        }
        Dataset<Row> query = spark.sql("SELECT window_start FROM " + table + " WHERE " + where + " ORDER BY 1");
        List<Instant> found = query.collectAsList().stream().map(r -> (Instant) r.get(0)).toList();
        assertThat(found).as("%s WHERE %s", table, where).isEqualTo(expected);
        assertThat(filesRead(query)).as("files read by %s WHERE %s", table, where)
                .isBetween((long) matchingPartitions.size(), matchingPartitions.size() + 1L);
    }

    /** How many files the query's one scan read (the query has run). */
    private static long filesRead(Dataset<Row> query) {
        List<FileSourceScanExec> scans = new ArrayList<>();
        collectScans(query.queryExecution().executedPlan(), scans);
        assertThat(scans).hasSize(1);
        return scans.get(0).metrics().apply("numFiles").value();
    }

    private static void collectScans(SparkPlan plan, List<FileSourceScanExec> scans) {
        if (plan instanceof FileSourceScanExec scan) {
            scans.add(scan);
        }
        plan.children().foreach(child -> {
            collectScans(child, scans);
            return null;
        });
    }
}
