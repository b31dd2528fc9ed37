package org.iotpipeline.query.http;

import java.util.Objects;

/**
 * Problems the HTTP layer answers outside a query (for those of a query see
 * {@link org.iotpipeline.query.execution.ProblemType}): status, {@code type} and {@code title} of the
 * problem body. Part of the API (docs/api.md): a constant may be added, an existing one keeps its values.
 */
public enum HttpProblem {
    /** A bearer token is configured and the request's is missing or wrong. */
    UNAUTHORIZED(401, "unauthorized", "Unauthorized"),
    /** No such path (or console asset). */
    NOT_FOUND(404, "not-found", "Not found"),
    /** {@code DELETE /query/{id}} of a query that is not running. */
    QUERY_NOT_FOUND(404, "query-not-found", "Query not found"),
    /** The body is larger than the limit. */
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Payload too large"),
    /** The body is neither text nor JSON. */
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    /** An error the server did not expect; the detail names a reference to its log line, never the error. */
    INTERNAL_ERROR(500, "internal-error", "Internal error"),
    /** The server cannot answer queries yet (or any more). */
    NOT_READY(503, "not-ready", "Not ready"),
    /** The connection cap is reached. */
    TOO_MANY_CONNECTIONS(503, "too-many-connections", "Too many connections");

    private final int status;
    private final String type;
    private final String title;

    HttpProblem(int status, String type, String title) {
        this.status = status;
        this.type = Objects.requireNonNull(type, "type is null");
        this.title = Objects.requireNonNull(title, "title is null");
    }

    public int status() {
        return status;
    }

    /** The {@code type} member of the problem body, e.g. {@code not-ready}. */
    public String type() {
        return type;
    }

    /** The {@code title} member of the problem body, e.g. {@code Not ready}. */
    public String title() {
        return title;
    }
}
