package org.iotpipeline.model;

import java.util.List;
import java.util.Objects;

/**
 * The JSON answer of the query server's {@code POST /query} (contract: docs/api.md, "Query server").
 *
 * @param columns   name and type of each column, in order
 * @param rows      the rows, each either a JSON array of values in column order or a JSON object
 *                  keyed by column name (the client chooses); values are already converted to
 *                  JSON-friendly Java objects
 * @param rowCount  number of rows in {@code rows}
 * @param truncated whether the result had more rows than the requested maximum
 * @param elapsedMs wall time the server spent on the query
 * @param queryId   the id under which the query ran (and could be cancelled)
 */
public record QueryResult(
        List<ResultColumn> columns,
        List<Object> rows,
        long rowCount,
        boolean truncated,
        long elapsedMs,
        String queryId) {

    public QueryResult {
        columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
        // Rows may hold JSON nulls, which List.copyOf refuses; keep an unmodifiable view instead.
        rows = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(Objects.requireNonNull(rows, "rows")));
        Objects.requireNonNull(queryId, "queryId");
    }
}
