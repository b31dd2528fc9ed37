package org.iotpipeline.query.execution;

import java.util.Objects;

/**
 * Every kind of problem a query can end in, each with its outcome (which decides the HTTP status
 * and the metrics label), its {@code type} and its {@code title} as the problem body shows them. The
 * type and title values are part of the API (docs/api.md, docs/openapi/query-server.yaml): clients
 * match on the type, so a constant may be added but an existing one must keep its values.
 */
public enum ProblemType {
    /** A request field, the format or a parameter is wrong. */
    INVALID_REQUEST(QueryOutcome.INVALID, "invalid-request", "Invalid request"),
    /** Spark cannot parse or analyze the statement. */
    INVALID_SQL(QueryOutcome.INVALID, "invalid-sql", "Invalid SQL"),
    /** The query failed on the data (a runtime error that is the query's fault). */
    QUERY_ERROR(QueryOutcome.INVALID, "query-error", "Query error"),
    /** Nesting over the limit, or recursion deeper than the server's stack. */
    STATEMENT_TOO_COMPLEX(QueryOutcome.INVALID, "statement-too-complex", "Statement too complex"),
    /** The query built values or results larger than memory allows. */
    QUERY_TOO_LARGE(QueryOutcome.INVALID, "query-too-large", "Query too large"),
    /** Not a read-only statement, or a function off the allow-list. */
    QUERY_REFUSED(QueryOutcome.REFUSED, "query-refused", "Statement refused"),
    /** Cancelled by {@code DELETE /query/{id}} or by shutdown. */
    QUERY_CANCELLED(QueryOutcome.CANCELLED, "query-cancelled", "Query cancelled"),
    /** A query with the requested id is running. */
    QUERY_ID_IN_USE(QueryOutcome.ID_IN_USE, "query-id-in-use", "Query id in use"),
    /** The statement is longer than the server parses. */
    STATEMENT_TOO_LARGE(QueryOutcome.TOO_LARGE, "statement-too-large", "Statement too large"),
    /** Every query slot is taken (with Retry-After). */
    TOO_MANY_QUERIES(QueryOutcome.BUSY, "too-many-queries", "Too many queries"),
    /** The store cannot be listed. */
    STORE_UNAVAILABLE(QueryOutcome.UNAVAILABLE, "store-unavailable", "Store unavailable"),
    /** The query ran past its timeout. */
    QUERY_TIMEOUT(QueryOutcome.TIMEOUT, "query-timeout", "Query timed out"),
    /** Spark failed for a reason that is not the query's. */
    QUERY_FAILED(QueryOutcome.FAILED, "query-failed", "Query failed");

    private final QueryOutcome outcome;
    private final String type;
    private final String title;

    ProblemType(QueryOutcome outcome, String type, String title) {
        this.outcome = Objects.requireNonNull(outcome, "outcome is null");
        this.type = Objects.requireNonNull(type, "type is null");
        this.title = Objects.requireNonNull(title, "title is null");
    }

    public QueryOutcome outcome() {
        return outcome;
    }

    /** The HTTP status of the answer, that of {@link #outcome()}. */
    public int status() {
        return outcome.status();
    }

    /** The {@code type} member of the problem body, e.g. {@code invalid-sql}. */
    public String type() {
        return type;
    }

    /** The {@code title} member of the problem body, e.g. {@code Invalid SQL}. */
    public String title() {
        return title;
    }
}
