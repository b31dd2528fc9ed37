package org.iotpipeline.query.execution;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.iotpipeline.query.json.RowShape;

/**
 * One query as a client asked for it; absent values take the configured defaults
 * ({@link QueryLimits}).
 *
 * @param sql        the statement
 * @param parameters values of named parameters ({@code :name} in the SQL): strings, numbers,
 *                   booleans or null
 * @param maxRows    JSON answers: most rows to return (more set {@code truncated})
 * @param timeout    how long the query may run before it is cancelled
 * @param rowShape   objects or arrays
 * @param queryId    an id chosen by the client, so it can cancel the query before the answer
 *                   arrives; the server makes one up otherwise
 */
public record QueryRequest(String sql, Map<String, Object> parameters, OptionalInt maxRows,
                           Optional<Duration> timeout, Optional<RowShape> rowShape, Optional<String> queryId) {

    public QueryRequest {
        Objects.requireNonNull(sql, "sql");
        // Parameter values may be JSON null, which Map.copyOf refuses.
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        Objects.requireNonNull(maxRows, "maxRows");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(rowShape, "rowShape");
        Objects.requireNonNull(queryId, "queryId");
    }

    /** The same request with rows of another shape. */
    public QueryRequest withRowShape(RowShape shape) {
        return new QueryRequest(sql, parameters, maxRows, timeout, Optional.of(shape), queryId);
    }

    /** Just the SQL, everything else by default. */
    public static QueryRequest of(String sql) {
        return new QueryRequest(sql, Map.of(), OptionalInt.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
