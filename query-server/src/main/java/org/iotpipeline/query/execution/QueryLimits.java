package org.iotpipeline.query.execution;

import java.time.Duration;
import java.util.Objects;
import org.iotpipeline.config.SettingChecks;
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
        SettingChecks.atLeast(key("max-concurrent"), maxConcurrent, 1);
        SettingChecks.positive(key("retry-after"), retryAfter);
        SettingChecks.positive(key("default-timeout"), defaultTimeout);
        SettingChecks.positive(key("max-timeout"), maxTimeout);
        SettingChecks.positive(key("stream-timeout"), streamTimeout);
        SettingChecks.atLeast(key("default-max-rows"), defaultMaxRows, 1);
        SettingChecks.atLeast(key("max-rows-limit"), maxRowsLimit, 1);
        SettingChecks.atLeast(key("max-body-size"), maxBodyBytes, 1);
        Objects.requireNonNull(defaultRowShape, "defaultRowShape is null");
        Objects.requireNonNull(statement, "statement is null");
        SettingChecks.positive(key("cancel-grace"), cancelGrace);
        if (defaultMaxRows > maxRowsLimit) {
            throw SettingChecks.invalid(key("default-max-rows"), "(" + defaultMaxRows
                    + ") must not exceed max-rows-limit (" + maxRowsLimit + ")");
        }
        // One row more than the limit is fetched to tell a full answer from a truncated one.
        if (maxRowsLimit == Integer.MAX_VALUE) {
            throw SettingChecks.invalid(key("max-rows-limit"), "must be below " + Integer.MAX_VALUE);
        }
        if (defaultTimeout.compareTo(maxTimeout) > 0) {
            throw SettingChecks.invalid(key("default-timeout"), "(" + defaultTimeout
                    + ") must not exceed max-timeout (" + maxTimeout + ")");
        }
    }

    /** The full key of a setting of {@code query-server.query}, as messages name it. */
    static String key(String key) {
        return "query-server.query." + key;
    }
}
