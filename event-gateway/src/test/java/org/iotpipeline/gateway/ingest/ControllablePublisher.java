package org.iotpipeline.gateway.ingest;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.iotpipeline.model.Event;

/**
 * An {@link EventPublisher} for tests without a broker: records what it was given and acknowledges,
 * fails, or holds each call as the test says. (The Kafka publisher itself is tested against a real
 * broker in the ITs.)
 */
public final class ControllablePublisher implements EventPublisher {

    /** How calls are answered. */
    public enum Mode { ACKNOWLEDGE, FAIL, HOLD }

    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.ACKNOWLEDGE);
    private final List<List<Event>> published = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();

    public void mode(Mode newMode) {
        mode.set(newMode);
    }

    /** Every call's events, in call order. */
    public List<List<Event>> published() {
        return published;
    }

    /** Futures of calls answered in {@link Mode#HOLD}, for the test to complete. */
    public List<CompletableFuture<Void>> held() {
        return held;
    }

    @Override
    public CompletionStage<Void> publish(List<Event> events) {
        published.add(List.copyOf(events));
        return switch (mode.get()) {
            case ACKNOWLEDGE -> CompletableFuture.completedFuture(null);
            case FAIL -> CompletableFuture.failedFuture(new IllegalStateException("broker down (test)"));
            case HOLD -> {
                CompletableFuture<Void> future = new CompletableFuture<>();
                held.add(future);
                yield future;
            }
        };
    }
}
