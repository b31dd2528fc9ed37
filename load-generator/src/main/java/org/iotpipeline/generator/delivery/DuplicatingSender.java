package org.iotpipeline.generator.delivery;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.iotpipeline.model.Event;

/**
 * Sends a request and, once it is acknowledged, re-sends the events the {@link DuplicateChooser}
 * picks (one more request, with the same retries), within the same concurrency slot.
 */
public final class DuplicatingSender {

    private final EventSender sender;
    private final DuplicateChooser chooser;

    public DuplicatingSender(EventSender sender, DuplicateChooser chooser) {
        this.sender = Objects.requireNonNull(sender, "sender is null");
        this.chooser = Objects.requireNonNull(chooser, "chooser is null");
    }

    /** @return the outcome of the events and of their re-send; never completes exceptionally */
    public CompletionStage<BatchReport> send(List<Event> events) {
        return sender.send(events).thenCompose(delivery -> {
            List<Event> again = delivery.outcome() == Outcome.ACKNOWLEDGED ? chooser.choose(events) : List.of();
            if (again.isEmpty()) {
                return CompletableFuture.completedFuture(new BatchReport(delivery, Optional.empty()));
            }
            return sender.send(again).thenApply(duplicate -> new BatchReport(delivery, Optional.of(duplicate)));
        });
    }
}
