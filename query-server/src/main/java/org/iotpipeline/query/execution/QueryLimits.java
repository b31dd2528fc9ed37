package org.iotpipeline.query.execution;

import java.time.Duration;
import org.iotpipeline.query.json.RowShape;

/**
 * Limits and defaults every query runs under ({@code query-server.query} in {@code reference.conf}).
 *
 * @param maxConcurrent   queries (JSON and streamed) running at once; one more is refused (429)
 * @param retryAfter      what a refused client is told to wait
 * @param defaultTimeout  timeout of a JSON query that names none
 * @param maxTimeout      largest timeout a request may ask for
 * @param streamTimeout   timeout of a streamed query that names none
 * @param defaultMaxRows  rows of a JSON answer that names no maximum
 * @param maxRowsLimit    largest maximum a JSON request may ask for
 * @param maxBodyBytes    largest request body
 * @param defaultRowShape row shape when the request names none
 * @param statement       size and nesting of the SQL text
 * @param cancelGrace     how long a cancelled or timed-out query may take to stop before its slot is
 *                        given back anyway (and the query is logged as abandoned)
 */
public record QueryLimits(int maxConcurrent, Duration retryAfter, Duration defaultTimeout, Duration maxTimeout,
                          Duration streamTimeout, int defaultMaxRows, int maxRowsLimit, int maxBodyBytes,
                          RowShape defaultRowShape, StatementLimits statement, Duration cancelGrace) {

    public QueryLimits {
        java.util.Objects.requireNonNull(statement, "statement is null");
        if (cancelGrace.isNegative() || cancelGrace.isZero()) {
            throw new IllegalArgumentException("query-server.query.cancel-grace must be positive, got " + cancelGrace);
        }
        requirePositive("max-concurrent", maxConcurrent);
        requirePositive("default-max-rows", defaultMaxRows);
        requirePositive("max-rows-limit", maxRowsLimit);
        requirePositive("max-body-size", maxBodyBytes);
        if (defaultMaxRows > maxRowsLimit) {
            throw new IllegalArgumentException("query-server.query.default-max-rows (" + defaultMaxRows
                    + ") must not exceed max-rows-limit (" + maxRowsLimit + ")");
        }
        if (maxRowsLimit == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("query-server.query.max-rows-limit must be below " + Integer.MAX_VALUE);
        }
        for (Duration d : new Duration[] {defaultTimeout, maxTimeout, streamTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("query-server.query timeouts must be positive, got " + d);
            }
        }
        if (defaultTimeout.compareTo(maxTimeout) > 0) {
            throw new IllegalArgumentException("query-server.query.default-timeout (" + defaultTimeout
                    + ") must not exceed max-timeout (" + maxTimeout + ")");
        }
    }

    private static void requirePositive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("query-server.query." + key + " must be at least 1, got " + value);
        }
    }
}
