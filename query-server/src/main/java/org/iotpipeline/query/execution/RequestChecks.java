package org.iotpipeline.query.execution;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.iotpipeline.query.guard.StatementShape;

/**
 * Checks what a client may ask of a query before it takes a slot: the statement's size and
 * nesting (so Spark's parser never sees a statement that would cost it unbounded time or stack),
 * the query id, the parameters, maxRows and the timeout. Every refusal is a
 * {@link QueryException} whose detail names the value and its limit.
 */
public final class RequestChecks {

    private final QueryLimits limits;

    public RequestChecks(QueryLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits is null");
    }

    /** Checks the statement, the query id and the parameters. */
    public void checkAdmissible(QueryRequest request) {
        String sql = request.sql();
        if (sql.isBlank()) {
            throw invalid("the SQL statement is empty; send it as the request body or as \"sql\" in a JSON body");
        }
        checkShape(sql);
        request.queryId().ifPresent(id -> {
            if (!RunningQueries.ID_PATTERN.matcher(id).matches()) {
                throw invalid("queryId must be 1 to 64 letters, digits, '.', '_' or '-', got '" + id + "'");
            }
        });
        sparkParameters(request.parameters());
    }

    /** The rows a JSON answer may hold: the request's maxRows or the default, within the limit. */
    public int maxRows(QueryRequest request) {
        int maxRows = request.maxRows().orElse(limits.defaultMaxRows());
        if (maxRows < 1 || maxRows > limits.maxRowsLimit()) {
            throw invalid("maxRows must be between 1 and " + limits.maxRowsLimit() + ", got " + maxRows
                    + "; stream larger results with format=ndjson or format=csv");
        }
        return maxRows;
    }

    /** The request's timeout, or the format's default when it names none. */
    public Duration timeout(QueryRequest request, ResultFormat format) {
        Duration fallback = format == ResultFormat.JSON ? limits.defaultTimeout() : limits.streamTimeout();
        if (request.timeout().isEmpty()) {
            return fallback;
        }
        Duration timeout = request.timeout().get();
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(limits.maxTimeout()) > 0) {
            throw invalid("timeoutMs must be between 1 and " + limits.maxTimeout().toMillis() + ", got "
                    + timeout.toMillis());
        }
        return timeout;
    }

    /** JSON parameter values as Spark literals accept them: strings, numbers, booleans, null. */
    public static Map<String, Object> sparkParameters(Map<String, Object> parameters) {
        Map<String, Object> converted = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                    || value instanceof Long || value instanceof Double || value instanceof BigDecimal) {
                converted.put(name, value);
            } else if (value instanceof BigInteger big) {
                converted.put(name, new BigDecimal(big));
            } else if (value instanceof Number number) {
                converted.put(name, new BigDecimal(number.toString()));
            } else {
                throw invalid("parameters." + name + " must be a string, number, boolean or null, got "
                        + (value instanceof List ? "an array" : value instanceof Map ? "an object"
                        : value.getClass().getSimpleName()));
            }
        });
        return converted;
    }

    /** Bounds what Spark's parser would spend time and stack on, before it runs. */
    private void checkShape(String sql) {
        StatementLimits bounds = limits.statement();
        if (sql.length() > bounds.maxLength()) {
            throw QueryException.of(ProblemType.STATEMENT_TOO_LARGE,
                    "the statement has " + sql.length() + " characters, more than the limit of " + bounds.maxLength()
                            + " (query-server.query.max-statement-length)").build();
        }
        StatementShape shape = StatementShape.of(sql);
        if (shape.nesting() > bounds.maxNesting()) {
            throw QueryException.of(ProblemType.STATEMENT_TOO_COMPLEX,
                    "parentheses nest " + shape.nesting() + " deep, more than the limit of " + bounds.maxNesting()
                            + " (query-server.query.max-statement-nesting)").build();
        }
    }

    private static QueryException invalid(String detail) {
        return QueryException.of(ProblemType.INVALID_REQUEST, detail).build();
    }
}
