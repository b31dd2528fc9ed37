package org.iotpipeline.query.execution;

import java.util.Locale;

/** How a query ended, with the HTTP status it answers and the label it is counted under in /metrics. */
public enum QueryOutcome {
    OK(200),
    /** The request or the SQL is wrong: bad JSON, a parse or analysis error, a runtime error of the query. */
    INVALID(400),
    /** The statement is not a read-only query (SqlGuard). */
    REFUSED(403),
    /** Cancelled with {@code DELETE /query/{id}} or by shutdown. */
    CANCELLED(409),
    /** A query with the requested id is already running. */
    ID_IN_USE(409),
    /** The statement is longer than the server parses. */
    TOO_LARGE(413),
    /** All query slots are taken. */
    BUSY(429),
    /** The store cannot be listed. */
    UNAVAILABLE(503),
    /** The timeout passed; the query's Spark jobs were cancelled. */
    TIMEOUT(504),
    /** Spark failed for a reason that is not the query's fault. */
    FAILED(500);

    private final int status;

    QueryOutcome(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The {@code outcome} tag of the query metrics. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
