package org.iotpipeline.generator.fleet;

import akka.NotUsed;
import akka.actor.Scheduler;
import akka.japi.Pair;
import akka.pattern.Patterns;
import akka.stream.javadsl.Source;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import scala.concurrent.ExecutionContext;

/**
 * The event times of the ticks of a {@link Timeline} as a stream, each emitted when it is due.
 *
 * <p>Demand-driven: a tick is only computed when downstream asks for one, so a slow gateway holds
 * the timeline back instead of filling a queue. A tick waits on the scheduler, not a thread.
 */
public final class TickSource {

    private final Timeline timeline;
    private final Clock clock;
    private final Scheduler scheduler;
    private final ExecutionContext executor;

    public TickSource(Timeline timeline, Clock clock, Scheduler scheduler, ExecutionContext executor) {
        this.timeline = Objects.requireNonNull(timeline, "timeline is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler is null");
        this.executor = Objects.requireNonNull(executor, "executor is null");
    }

    /** Event times (epoch ms) of ticks 0, 1, 2, ...; completes when the timeline ends. */
    public Source<Long, NotUsed> eventTimes() {
        return Source.unfold(0L, tick -> Optional.of(Pair.create(tick + 1, tick)))
                .takeWhile(tick -> !timeline.endsBefore(tick, clock.millis()))
                .mapAsync(1, this::whenDue);
    }

    private CompletionStage<Long> whenDue(long tick) {
        long wait = timeline.emitAt(tick) - clock.millis();
        if (wait <= 0) {
            return CompletableFuture.completedFuture(timeline.eventTime(tick));
        }
        // Checked again after the wait: a timer firing early must not release a future timestamp.
        return Patterns.after(Duration.ofMillis(wait), scheduler, executor, () -> whenDue(tick));
    }
}
