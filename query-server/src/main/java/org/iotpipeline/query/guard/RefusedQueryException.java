package org.iotpipeline.query.guard;

/** A statement the query server will not run because it could change or reach beyond the store (HTTP 403). */
public final class RefusedQueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RefusedQueryException(String reason) {
        super(reason);
    }
}
