package org.iotpipeline.gateway.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.iotpipeline.gateway.metrics.GatewayMetrics;
import org.iotpipeline.model.BodyFormat;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.iotpipeline.model.InvalidEventsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one use case, free of HTTP: validate a body, publish all of its events, and say
 * what happened.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>{@link IngestOutcome.Accepted} only after the publisher confirmed every event persisted.</li>
 *   <li>An invalid body ({@link IngestOutcome.Rejected}), an oversized batch (found without reading
 *       past its first event too many) or a body with an event outside the caller's
 *       {@link DeviceScope} ({@link IngestOutcome.Forbidden}) publishes nothing.</li>
 *   <li>The returned stage always completes, at the latest {@code sendTimeout} after the call
 *       (then {@link IngestOutcome.Unavailable}); it never completes exceptionally.</li>
 *   <li>At most {@code maxInFlightEvents} events are being published at once; beyond that a call
 *       answers {@link IngestOutcome.Unavailable} at once without publishing.</li>
 * </ul>
 * Thread-safe.
 */
public final class EventIngestion {

    private static final Logger log = LoggerFactory.getLogger(EventIngestion.class);
    private static final long WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final EventCodec codec;
    private final EventPublisher publisher;
    private final InFlightLimiter inFlight;
    private final int maxEventsPerRequest;
    private final Duration sendTimeout;
    private final GatewayMetrics metrics;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARNING_INTERVAL_NANOS);
    private final AtomicLong suppressedWarnings = new AtomicLong();

    public EventIngestion(EventCodec codec, EventPublisher publisher, InFlightLimiter inFlight,
                          int maxEventsPerRequest, Duration sendTimeout, GatewayMetrics metrics) {
        this.codec = Objects.requireNonNull(codec, "codec is null");
        this.publisher = Objects.requireNonNull(publisher, "publisher is null");
        this.inFlight = Objects.requireNonNull(inFlight, "inFlight is null");
        this.maxEventsPerRequest = maxEventsPerRequest;
        this.sendTimeout = Objects.requireNonNull(sendTimeout, "sendTimeout is null");
        this.metrics = Objects.requireNonNull(metrics, "metrics is null");
    }

    /** Validates and publishes one request body for any device; see the class doc for the guarantees. */
    public CompletionStage<IngestOutcome> ingest(byte[] body, BodyFormat format) {
        return ingest(body, format, DeviceScope.ALL);
    }

    /**
     * Validates one request body, checks that every event belongs to {@code scope}, and publishes
     * it; see the class doc for the guarantees.
     */
    public CompletionStage<IngestOutcome> ingest(byte[] body, BodyFormat format, DeviceScope scope) {
        Objects.requireNonNull(scope, "scope is null");
        List<Event> events;
        try {
            events = codec.decode(body, format, maxEventsPerRequest);
        } catch (InvalidEventsException e) {
            metrics.eventsRejected(e.invalidEvents());
            return CompletableFuture.completedFuture(new IngestOutcome.Rejected(e));
        } catch (EventCodec.TooManyEventsException e) {
            return CompletableFuture.completedFuture(new IngestOutcome.TooManyEvents(e.limit() + 1, e.limit()));
        }
        int count = events.size();
        if (scope != DeviceScope.ALL) {
            for (int i = 0; i < count; i++) {
                int device = events.get(i).deviceId();
                if (!scope.permits(device)) {
                    return CompletableFuture.completedFuture(new IngestOutcome.Forbidden(i, device, scope.describe()));
                }
            }
        }
        if (!inFlight.tryAcquire(count)) {
            metrics.eventsUnavailable(IngestOutcome.Reason.OVERLOADED, count);
            return CompletableFuture.completedFuture(new IngestOutcome.Unavailable(IngestOutcome.Reason.OVERLOADED,
                    "the gateway has " + inFlight.inFlight() + " events in flight (limit " + inFlight.limit()
                            + "); retry later"));
        }
        long started = System.nanoTime();
        CompletableFuture<Void> persisted;
        try {
            // Not a copy: completing it on timeout tells the publisher to drop events it has not sent yet.
            persisted = publisher.publish(events).toCompletableFuture();
        } catch (RuntimeException e) {
            persisted = CompletableFuture.failedFuture(e);
        }
        return persisted
                .orTimeout(sendTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ignored, failure) -> {
                    inFlight.release(count);
                    metrics.recordSend(failure == null, System.nanoTime() - started);
                    return failure == null ? accepted(count) : unavailable(count, unwrap(failure));
                });
    }

    private IngestOutcome accepted(int count) {
        metrics.eventsAccepted(count);
        return new IngestOutcome.Accepted(count);
    }

    private IngestOutcome unavailable(int count, Throwable failure) {
        IngestOutcome.Reason reason = failure instanceof TimeoutException
                ? IngestOutcome.Reason.TIMEOUT : IngestOutcome.Reason.KAFKA_FAILED;
        metrics.eventsUnavailable(reason, count);
        String detail = reason == IngestOutcome.Reason.TIMEOUT
                ? "Kafka did not acknowledge all " + count + " events within " + sendTimeout.toMillis() + " ms"
                : "Kafka did not persist all " + count + " events: " + failure;
        logThrottled(detail);
        return new IngestOutcome.Unavailable(reason, detail);
    }

    // Expected during broker outages, possibly thousands of times a second: one line per interval,
    // with how many were not logged (the metrics count every one).
    private void logThrottled(String detail) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARNING_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
            long suppressed = suppressedWarnings.getAndSet(0);
            log.warn("Answering 503: {}{}", detail,
                    suppressed == 0 ? "" : " (" + suppressed + " more 503s since the last such line)");
        } else {
            suppressedWarnings.incrementAndGet();
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
