package org.iotpipeline.gateway.health;

import java.util.concurrent.CompletionStage;

/** Whether the gateway can do its job now (for {@code GET /ready}). */
public interface ReadinessCheck {

    /** Checks; the stage completes normally, with {@link Readiness#ready()} false on any failure. */
    CompletionStage<Readiness> check();

    /**
     * One answer.
     *
     * @param ready  whether requests can be served
     * @param detail what was checked and, if not ready, why
     */
    record Readiness(boolean ready, String detail) {
    }
}
