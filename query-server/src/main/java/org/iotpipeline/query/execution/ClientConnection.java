package org.iotpipeline.query.execution;

/** The connection a query came on, as far as the query service needs it. */
@FunctionalInterface
public interface ClientConnection {

    /**
     * Runs {@code action} once when the connection closes (at once if it is already closed).
     *
     * @return removes the action again (the query ended first)
     */
    Registration onClose(Runnable action);

    /** Removes a close action. */
    @FunctionalInterface
    interface Registration {
        void remove();
    }
}
