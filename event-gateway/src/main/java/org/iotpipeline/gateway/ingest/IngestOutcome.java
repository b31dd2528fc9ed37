package org.iotpipeline.gateway.ingest;

import org.iotpipeline.model.InvalidEventsException;

/** What became of one request's body; the HTTP layer maps each kind to a status. */
public sealed interface IngestOutcome {

    /** Every event was persisted (202). */
    record Accepted(int events) implements IngestOutcome {
    }

    /** The body held invalid events; none of it was written (400). */
    record Rejected(InvalidEventsException error) implements IngestOutcome {
    }

    /**
     * The body carries more events than one request may (413). Reading stopped at the first event
     * too many, so {@code events} is {@code limit + 1}, a lower bound, and validity is unknown.
     */
    record TooManyEvents(int events, int limit) implements IngestOutcome {
    }

    /**
     * The body holds an event of a device the caller may not write for (403); none of it was
     * written. Names the first such event.
     */
    record Forbidden(int index, int deviceId, String scope) implements IngestOutcome {
    }

    /**
     * The events could not be persisted now; the client should retry later (503). Some of them may
     * have been persisted.
     */
    record Unavailable(Reason reason, String detail) implements IngestOutcome {
    }

    /** Why events could not be persisted. */
    enum Reason {
        /** Too many events in flight; nothing was sent. */
        OVERLOADED,
        /** Kafka refused or failed a record (broker down, buffer full, ...). */
        KAFKA_FAILED,
        /** Kafka did not acknowledge every record within the send timeout. */
        TIMEOUT
    }
}
