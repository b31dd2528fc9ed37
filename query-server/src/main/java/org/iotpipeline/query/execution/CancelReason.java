package org.iotpipeline.query.execution;

/** Why a running query's Spark jobs were cancelled. */
public enum CancelReason {
    /** Its timeout passed. */
    TIMEOUT("the query timed out"),
    /** {@code DELETE /query/{id}}. */
    REQUESTED("the query was cancelled on request"),
    /** The client stopped reading a streamed answer. */
    CLIENT_GONE("the client closed the connection"),
    /** The server is stopping. */
    SHUTDOWN("the server is shutting down");

    private final String text;

    CancelReason(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
