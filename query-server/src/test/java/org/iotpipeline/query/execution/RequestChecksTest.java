package org.iotpipeline.query.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.iotpipeline.query.json.RowShape;
import org.junit.jupiter.api.Test;

/** Every refusal of {@link RequestChecks}: its outcome, its problem type and its exact detail. */
class RequestChecksTest {

    private static final QueryLimits LIMITS = new QueryLimits(4, Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofSeconds(120), Duration.ofSeconds(600), 1000, 5000, 1 << 20, RowShape.OBJECTS,
            new StatementLimits(40, 3), Duration.ofSeconds(5));

    private final RequestChecks checks = new RequestChecks(LIMITS);

    @Test
    void aPlainRequestPassesWithTheDefaults() {
        QueryRequest request = QueryRequest.of("SELECT 1");
        checks.checkAdmissible(request);
        assertThat(checks.maxRows(request)).isEqualTo(1000);
        assertThat(checks.timeout(request, ResultFormat.JSON)).isEqualTo(Duration.ofSeconds(30));
        assertThat(checks.timeout(request, ResultFormat.NDJSON)).isEqualTo(Duration.ofSeconds(600));
        assertThat(checks.timeout(request, ResultFormat.CSV)).isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void anEmptyStatementIsRefused() {
        assertRefused(() -> checks.checkAdmissible(QueryRequest.of(" \n\t")), QueryOutcome.INVALID,
                "invalid-request",
                "the SQL statement is empty; send it as the request body or as \"sql\" in a JSON body");
    }

    @Test
    void aStatementLongerThanTheLimitIsRefusedBeforeItsNestingIsLookedAt() {
        assertRefused(() -> checks.checkAdmissible(QueryRequest.of("SELECT " + "(".repeat(34))),
                QueryOutcome.TOO_LARGE, "statement-too-large",
                "the statement has 41 characters, more than the limit of 40 (query-server.query.max-statement-length)");
        checks.checkAdmissible(QueryRequest.of("SELECT " + "1".repeat(33)));
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        checks.checkAdmissible(QueryRequest.of("SELECT (((1)))"));
        assertRefused(() -> checks.checkAdmissible(QueryRequest.of("SELECT ((((1))))")), QueryOutcome.INVALID,
                "statement-too-complex",
                "parentheses nest 4 deep, more than the limit of 3 (query-server.query.max-statement-nesting)");
    }

    @Test
    void aQueryIdMustBeShortAndPlain() {
        checks.checkAdmissible(request("SELECT 1", Map.of(), OptionalInt.empty(), null, "a.b_c-9"));
        for (String id : List.of("", "a b", "x".repeat(65), "../etc", "é")) {
            assertRefused(() -> checks.checkAdmissible(request("SELECT 1", Map.of(), OptionalInt.empty(), null, id)),
                    QueryOutcome.INVALID, "invalid-request",
                    "queryId must be 1 to 64 letters, digits, '.', '_' or '-', got '" + id + "'");
        }
    }

    @Test
    void parametersMustBeScalars() {
        Map<String, Object> scalars = new LinkedHashMap<>();
        scalars.put("s", "text");
        scalars.put("n", null);
        scalars.put("b", true);
        scalars.put("i", 7);
        scalars.put("l", 7L);
        scalars.put("d", 1.5);
        scalars.put("big", new BigInteger("123456789012345678901234567890"));
        scalars.put("f", 2.5f);
        Map<String, Object> converted = RequestChecks.sparkParameters(scalars);
        assertThat(converted).containsEntry("s", "text").containsEntry("n", null).containsEntry("i", 7)
                .containsEntry("big", new BigDecimal("123456789012345678901234567890"))
                .containsEntry("f", new BigDecimal("2.5"));
        assertRefused(() -> checks.checkAdmissible(request("SELECT :a", Map.of("a", List.of(1)), OptionalInt.empty(),
                null, null)), QueryOutcome.INVALID, "invalid-request",
                "parameters.a must be a string, number, boolean or null, got an array");
        assertRefused(() -> checks.checkAdmissible(request("SELECT :o", Map.of("o", Map.of("k", 1)),
                OptionalInt.empty(), null, null)), QueryOutcome.INVALID, "invalid-request",
                "parameters.o must be a string, number, boolean or null, got an object");
    }

    @Test
    void maxRowsMustBeWithinTheLimit() {
        assertThat(checks.maxRows(request("SELECT 1", Map.of(), OptionalInt.of(1), null, null))).isEqualTo(1);
        assertThat(checks.maxRows(request("SELECT 1", Map.of(), OptionalInt.of(5000), null, null))).isEqualTo(5000);
        for (int maxRows : new int[] {0, -1, 5001, Integer.MAX_VALUE}) {
            assertRefused(() -> checks.maxRows(request("SELECT 1", Map.of(), OptionalInt.of(maxRows), null, null)),
                    QueryOutcome.INVALID, "invalid-request", "maxRows must be between 1 and 5000, got " + maxRows
                            + "; stream larger results with format=ndjson or format=csv");
        }
    }

    @Test
    void aTimeoutMustBePositiveAndWithinTheMaximum() {
        assertThat(checks.timeout(request("SELECT 1", Map.of(), OptionalInt.empty(), Duration.ofMillis(1), null),
                ResultFormat.JSON)).isEqualTo(Duration.ofMillis(1));
        assertThat(checks.timeout(request("SELECT 1", Map.of(), OptionalInt.empty(), Duration.ofSeconds(120), null),
                ResultFormat.CSV)).isEqualTo(Duration.ofSeconds(120));
        for (long millis : new long[] {0, -5, 120_001}) {
            assertRefused(() -> checks.timeout(request("SELECT 1", Map.of(), OptionalInt.empty(),
                    Duration.ofMillis(millis), null), ResultFormat.NDJSON), QueryOutcome.INVALID, "invalid-request",
                    "timeoutMs must be between 1 and 120000, got " + millis);
        }
    }

    private static QueryRequest request(String sql, Map<String, Object> parameters, OptionalInt maxRows,
                                        Duration timeout, String queryId) {
        return new QueryRequest(sql, parameters, maxRows, Optional.ofNullable(timeout), Optional.empty(),
                Optional.ofNullable(queryId));
    }

    private static void assertRefused(Runnable check, QueryOutcome outcome, String type, String detail) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(QueryException.class, e -> {
            assertThat(e.outcome()).isEqualTo(outcome);
            assertThat(e.type()).isEqualTo(type);
            assertThat(e.getMessage()).isEqualTo(detail);
        });
    }
}
