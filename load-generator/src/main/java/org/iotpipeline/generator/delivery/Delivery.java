package org.iotpipeline.generator.delivery;

import java.util.List;
import org.iotpipeline.model.Event;

/**
 * What became of one request's events.
 *
 * @param events   the events of the request, all with the same outcome (the gateway persists a
 *                 request whole or not at all)
 * @param outcome  their final state
 * @param attempts requests made, at least 1
 * @param detail   the last answer or error in words, for logs ("202", "400: ...", "connection refused")
 */
public record Delivery(List<Event> events, Outcome outcome, int attempts, String detail) {

    public Delivery {
        events = List.copyOf(events);
    }

    /** Retries made (attempts after the first). */
    public int retries() {
        return attempts - 1;
    }
}
