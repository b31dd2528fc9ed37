package org.iotpipeline.query.execution;

import java.util.Objects;

/**
 * Who sent a query: the owner its id is scoped to (a client sees and cancels only its own
 * queries), and the connection it came on, so a query whose client went away is cancelled.
 *
 * @param owner      {@code token:<name>} when bearer tokens are configured, else
 *                   {@code address:<client IP>}
 * @param connection the client's connection
 */
public record Caller(String owner, ClientConnection connection) {

    public Caller {
        Objects.requireNonNull(owner, "owner is null");
        Objects.requireNonNull(connection, "connection is null");
    }

    /** A caller inside the process (tests, tools): no connection that can close. */
    public static Caller inProcess(String owner) {
        return new Caller(owner, action -> () -> { });
    }
}
