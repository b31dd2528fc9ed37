package org.iotpipeline.generator.delivery;

/** The final state of an event: exactly one of these, once, for every event generated. */
public enum Outcome {
    /** The gateway answered 2xx: it persisted the events. */
    ACKNOWLEDGED,
    /** The gateway answered a final 4xx: it persisted none of the request. */
    REJECTED,
    /** Every allowed attempt ended in a retryable error (5xx, 408, 429, connection failure, timeout). */
    FAILED
}
