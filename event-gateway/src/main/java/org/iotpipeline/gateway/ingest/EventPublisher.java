package org.iotpipeline.gateway.ingest;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.iotpipeline.model.Event;

/**
 * Writes validated events to durable storage (Kafka in production).
 *
 * <p>Contract the gateway's 202 relies on: the returned stage completes normally only after
 * <em>every</em> event of the call is persisted (for Kafka: acknowledged with {@code acks=all}). It
 * completes exceptionally as soon as one event cannot be persisted; other events of the same call
 * may then be persisted or not, so a client retry can write duplicates, which the ETL removes by
 * (deviceId, metricId, timestamp).
 *
 * <p>If the caller completes the returned future itself (e.g. exceptionally on its own timeout),
 * events of that call not yet handed to the storage are not sent. Implementations must not block
 * the caller for long.
 */
public interface EventPublisher {

    /** Persists {@code events}; see the interface doc for what completion means. */
    CompletionStage<Void> publish(List<Event> events);
}
