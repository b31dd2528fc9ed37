package org.iotpipeline.query.guard;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.execution.SparkSqlParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The parsed-plan check, with Spark's real parser and no SparkSession. */
class SqlGuardTest {

    private final SqlGuard guard = new SqlGuard(new SparkSqlParser(), FunctionPolicy.load(),
            List.of(new Path("file:/data/staging/measurements"), new Path("file:/data/warehouse/measurements")));

    static Stream<Arguments> hostile() {
        return HostileSql.STATEMENTS.stream().map(entry -> Arguments.of(entry[0], entry[1]));
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void refusesWhatIsNotAReadOnlyQuery(String sql, String named) {
        assertThatThrownBy(() -> guard.checkStatement(sql, Map.of()))
                .isInstanceOf(RefusedQueryException.class)
                .hasMessageContaining(named);
    }

    @ParameterizedTest
    @MethodSource("allowed")
    void letsQueriesShowDescribeAndExplainThrough(String sql) {
        assertThatCode(() -> guard.checkStatement(sql, Map.of("device", 7, "table", "measurements")))
                .doesNotThrowAnyException();
    }

    /**
     * A subquery's plan is reachable twice from its node (inner child and expression); walking both
     * doubled the work per level, and 40 levels — a statement of 700 characters, nesting 40 within
     * the limit of 64 — would run for days on the query's thread. The bound here only stops a broken
     * walk; a linear one takes milliseconds.
     */
    @Test
    void deeplyNestedSubqueriesAreCheckedOnce() {
        String sql = "SELECT " + "(SELECT ".repeat(40) + "1" + ")".repeat(40);

        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> guard.checkStatement(sql, Map.of()));
    }

    static Stream<String> allowed() {
        return Stream.of(
                "SELECT 1",
                "select * from measurements where device_id = 7 and year = 2026 and month = 11 and day = 29",
                "SELECT device_id, sum(value_sum) / sum(event_count) AS avg FROM measurements GROUP BY device_id"
                        + " HAVING count(*) > 1 ORDER BY avg DESC LIMIT 10 OFFSET 2",
                "WITH hourly AS (SELECT date_trunc('HOUR', window_start) AS h, sum(event_count) AS n FROM measurements"
                        + " GROUP BY 1) SELECT * FROM hourly h1 JOIN hourly h2 ON h1.h = h2.h",
                "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r",
                "VALUES (1, 'a'), (2, 'b')",
                "TABLE measurements",
                "SELECT * FROM range(10) WHERE id IN (SELECT device_id FROM measurements)",
                "SELECT * FROM measurements m WHERE EXISTS (SELECT 1 FROM range(3) r WHERE r.id = m.device_id)",
                "SELECT device_id, row_number() OVER (PARTITION BY metric_id ORDER BY value_max DESC) FROM measurements",
                "SELECT * FROM range(3) QUALIFY row_number() OVER (ORDER BY id) = 1",
                "SELECT * FROM range(3) LATERAL VIEW explode(array(1, 2)) t AS x",
                "SELECT * FROM range(3) a, LATERAL (SELECT a.id + 1 AS next) b",
                "SELECT * FROM (VALUES (1, 2)) t(a, b) UNPIVOT (v FOR c IN (a, b))",
                "SELECT * FROM (SELECT metric_id, device_id FROM measurements) PIVOT (count(*) FOR metric_id IN (1, 2))",
                "SELECT /*+ BROADCAST(m) */ * FROM measurements TABLESAMPLE (10 PERCENT) m",
                "SELECT count(*) FILTER (WHERE device_id > 1) FROM measurements GROUP BY ALL",
                "FROM measurements |> WHERE device_id = 7 |> AGGREGATE count(*) AS n",
                "SELECT * FROM measurements INTERSECT SELECT * FROM measurements EXCEPT SELECT * FROM measurements",
                "SELECT parse_json('{\"a\":1}'), split('a,b', ','), split('a|b', '\\\\|'), str_to_map('a:1,b:2')",
                "SELECT 'abc' LIKE 'a%', 'abc' LIKE '%b%', 'abc' ILIKE 'A%c', 'abc' LIKE ANY ('a%', '%c'), like('a', '%a')",
                "SELECT 'a%b' LIKE 'a\\%b%'",
                "SELECT * FROM IDENTIFIER(:table) WHERE device_id = :device",
                "SELECT * FROM spark_catalog.default.measurements",
                "SELECT * FROM stack(2, 1, 2)",
                "SHOW TABLES",
                "SHOW VIEWS",
                "SHOW DATABASES",
                "SHOW COLUMNS IN measurements",
                "SHOW FUNCTIONS",
                "SHOW CATALOGS",
                "SHOW CURRENT NAMESPACE",
                "DESCRIBE measurements",
                "DESCRIBE TABLE EXTENDED measurements",
                "DESCRIBE measurements device_id",
                "DESCRIBE FUNCTION avg",
                "DESCRIBE QUERY SELECT * FROM measurements",
                "EXPLAIN SELECT * FROM measurements WHERE hour = 3",
                "EXPLAIN FORMATTED SELECT count(*) FROM measurements",
                "EXPLAIN SHOW TABLES");
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void leavesSyntaxErrorsToSparksParser(String sql) {
        assertThatThrownBy(() -> guard.checkStatement(sql, Map.of())).isInstanceOf(ParseException.class);
    }

    static Stream<String> invalid() {
        return Stream.of("SELEC 1", "SELECT (1", "", "DROP");
    }

    @org.junit.jupiter.api.Test
    void onlyFilesUnderTheStoreRootsAreStoreFiles() {
        org.assertj.core.api.Assertions.assertThat(guard.isStoreFile(
                "file:/data/staging/measurements/year=2026/month=11/day=29/hour=1/part-0.parquet")).isTrue();
        org.assertj.core.api.Assertions.assertThat(guard.isStoreFile("file:///data/warehouse/measurements/x.parquet")).isTrue();
        org.assertj.core.api.Assertions.assertThat(guard.isStoreFile("/etc/passwd")).isFalse();
        org.assertj.core.api.Assertions.assertThat(guard.isStoreFile("file:/data/staging/measurements-other/x")).isFalse();
        org.assertj.core.api.Assertions.assertThat(guard.isStoreFile("file:/data/staging/measurements/../../etc/passwd"))
                .isFalse();
        org.assertj.core.api.Assertions.assertThat(guard.isStoreFile("http://example.org/schema.xsd")).isFalse();
    }

    @ParameterizedTest
    @MethodSource("identifierParameters")
    void resolvesIdentifierParametersBeforeDeciding(Object value, boolean refused) {
        var check = assertThatCode(() -> guard.checkStatement("SELECT * FROM IDENTIFIER(:t)", Map.of("t", value)));
        if (refused) {
            check.isInstanceOf(RefusedQueryException.class);
        } else {
            check.doesNotThrowAnyException();
        }
    }

    static Stream<Arguments> identifierParameters() {
        return Stream.of(
                Arguments.of("measurements", false),
                Arguments.of("parquet.`/etc`", true),
                Arguments.of("`/etc/passwd`", true),
                Arguments.of(42, true));
    }
}
