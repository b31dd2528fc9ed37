package org.iotpipeline.generator;

import akka.Done;
import akka.NotUsed;
import akka.actor.ActorSystem;
import akka.actor.Cancellable;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.Uri;
import akka.http.javadsl.settings.ClientConnectionSettings;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import akka.japi.Pair;
import akka.stream.KillSwitches;
import akka.stream.Materializer;
import akka.stream.ThrottleMode;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.iotpipeline.generator.delivery.BatchReport;
import org.iotpipeline.generator.delivery.DuplicatingSender;
import org.iotpipeline.generator.delivery.EventSender;
import org.iotpipeline.generator.fleet.Fleet;
import org.iotpipeline.generator.fleet.TickSource;
import org.iotpipeline.generator.ledger.Ledger;
import org.iotpipeline.generator.ledger.LedgerFile;
import org.iotpipeline.generator.report.Counts;
import org.iotpipeline.generator.report.LiveStats;
import org.iotpipeline.generator.report.ProgressReporter;
import org.iotpipeline.generator.report.RunSummary;
import org.iotpipeline.generator.report.Tally;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.duration.FiniteDuration;

/**
 * One run of the generator: a single akka stream from the fleet's ticks to the gateway,
 *
 * <pre>ticks (paced) → events → [take count] → [take duration] → [throttle rate] → stop switch
 *   → batches → mapAsyncUnordered(concurrency, POST with retries) → tally</pre>
 *
 * <p>Every stage is demand-driven, so at most {@code concurrency} requests (and their events) are
 * in flight and nothing queues without bound: a slow gateway slows the generator down.
 *
 * <p>Guarantees: {@link #finished()} completes exactly once, after every generated event has an
 * outcome (or the shutdown timeout declared the rest failed), with the summary printed and the
 * ledger written; the summary's counts add up.
 */
public final class LoadRun {

    private static final Logger log = LoggerFactory.getLogger(LoadRun.class);

    private final GeneratorSettings settings;
    private final ActorSystem system;
    private final Clock clock;
    private final Consumer<String> out;
    private final Tally tally;
    private final LiveStats stats = new LiveStats();
    private final CompletableFuture<RunSummary> finished = new CompletableFuture<>();
    private final AtomicBoolean finishing = new AtomicBoolean();
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    private final long startNanos = System.nanoTime();
    // Written once while starting, read by stop() and finish() on other threads.
    private volatile UniqueKillSwitch generating;
    private volatile UniqueKillSwitch draining;
    private volatile Optional<Cancellable> progress = Optional.empty();

    private LoadRun(GeneratorSettings settings, ActorSystem system, Clock clock, Consumer<String> out) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.system = Objects.requireNonNull(system, "system is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.out = Objects.requireNonNull(out, "out is null");
        this.tally = new Tally(settings.ledgerPath().map(path -> new Ledger(settings.ledgerWindow())));
    }

    /**
     * Starts generating at once.
     *
     * @param out where progress lines and the summary go (stdout in the CLI)
     */
    public static LoadRun start(GeneratorSettings settings, ActorSystem system, Clock clock, Consumer<String> out) {
        LoadRun run = new LoadRun(settings, system, clock, out);
        run.materialize();
        return run;
    }

    /** Completes once the run is over; see the class guarantees. */
    public CompletionStage<RunSummary> finished() {
        return finished;
    }

    /** The counts so far. */
    public Counts counts() {
        return tally.snapshot();
    }

    /**
     * Stops generating; requests in flight get {@code shutdown-timeout} to finish (retries included),
     * then whatever is unresolved counts as failed. Idempotent.
     */
    public CompletionStage<RunSummary> stop(String reason) {
        if (!finished.isDone() && stopReason.compareAndSet(null, reason)) {
            Counts now = tally.snapshot();
            log.info("Stopping ({}): no new events; waiting up to {} for {} events in flight",
                    reason, settings.shutdownTimeout(), now.inFlight());
            generating.shutdown();
            system.scheduler().scheduleOnce(settings.shutdownTimeout(),
                    () -> draining.abort(new TimeoutException("shutdown timeout " + settings.shutdownTimeout() + " ran out")),
                    system.dispatcher());
        }
        return finished;
    }

    private void materialize() {
        // Scheduled before the stream starts, so a run that ends at once still finds it to cancel.
        if (!settings.progressInterval().isZero()) {
            ProgressReporter reporter = new ProgressReporter(tally, stats, out, System::nanoTime, clock);
            progress = Optional.of(system.scheduler().scheduleWithFixedDelay(
                    settings.progressInterval(), settings.progressInterval(), reporter, system.dispatcher()));
        }
        Fleet fleet = settings.fleet();
        TickSource ticks = new TickSource(settings.timeline(clock.millis()), clock, system.scheduler(), system.dispatcher());
        Source<Event, NotUsed> events = ticks.eventTimes().mapConcat(fleet::eventsAt);
        if (settings.eventCount() > 0) {
            events = events.take(settings.eventCount());
        }
        if (!settings.duration().isZero()) {
            events = events.takeWithin(settings.duration());
        }
        if (settings.rate() > 0) {
            events = throttled(events, settings.rate());
        }
        DuplicatingSender sender = new DuplicatingSender(eventSender(), settings.duplicateChooser());
        Pair<Pair<UniqueKillSwitch, UniqueKillSwitch>, CompletionStage<Done>> materialized = events
                .viaMat(KillSwitches.single(), Keep.right())
                .via(batches())
                .mapAsyncUnordered(settings.concurrency(), batch -> {
                    tally.generated(batch.size(), batch.get(batch.size() - 1).timestamp());
                    return sender.send(batch);
                })
                .viaMat(KillSwitches.single(), Keep.both())
                .toMat(Sink.foreach(tally::record), Keep.both())
                .run(system);
        generating = materialized.first().first();
        draining = materialized.first().second();
        materialized.second().whenComplete((done, error) -> finish(error));
    }

    /** A rate bound with a burst of about 50 ms worth of events, so timer granularity costs no throughput. */
    private static Source<Event, NotUsed> throttled(Source<Event, NotUsed> events, double rate) {
        Duration perEvent = Duration.ofNanos(Math.max(1, Math.round(1e9 / rate)));
        int burst = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(rate / 20)));
        return events.throttle(1, perEvent, burst, ThrottleMode.shaping());
    }

    private Flow<Event, List<Event>, NotUsed> batches() {
        if (settings.batchSize() == 1) {
            return Flow.<Event>create().map(List::of);
        }
        return Flow.<Event>create().groupedWithin(settings.batchSize(), settings.batchLinger());
    }

    private EventSender eventSender() {
        int concurrency = settings.concurrency();
        // The connection's idle timeout is the request timeout: a connection on which an answer
        // stays out that long is closed and its request fails (and is retried). A per-request timer
        // (CompletableFuture.orTimeout) would cost a scheduled task per request instead.
        ClientConnectionSettings connection = ClientConnectionSettings.create(system)
                .withIdleTimeout(FiniteDuration.create(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS));
        // max-open-requests must be a power of two; the headroom covers requests still leaving a
        // broken connection while their retry is queued.
        ConnectionPoolSettings pool = ConnectionPoolSettings.create(system)
                .withConnectionSettings(connection)
                .withMaxConnections(concurrency)
                .withMaxOpenRequests(Integer.highestOneBit(concurrency * 2 - 1) << 1);
        return new EventSender(Http.get(system), Uri.create(settings.url().toString()), settings.access(), pool, system.log(),
                EventCodec.withDefaults(), settings.retry(), settings.requestTimeout(),
                Materializer.matFromSystem(system), system.scheduler(), system.dispatcher(), stats, clock);
    }

    private void finish(Throwable streamError) {
        if (!finishing.compareAndSet(false, true)) {
            return;
        }
        try {
            if (streamError != null && !(streamError instanceof TimeoutException)) {
                log.error("The generator stream failed; events in flight count as failed", streamError);
            }
            progress.ifPresent(Cancellable::cancel);
            Counts counts = tally.seal();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            boolean ledgerWritten = writeLedger(counts);
            RunSummary summary = new RunSummary(counts, stats.retries(), stats.responses(), elapsed, stats.total(),
                    endReason(counts, elapsed), settings.ledgerPath().isPresent() && !ledgerWritten);
            out.accept(summary.render());
            finished.complete(summary);
        } catch (RuntimeException e) {
            log.error("Finishing the run failed", e);
            finished.completeExceptionally(e);
        }
    }

    private boolean writeLedger(Counts counts) {
        if (settings.ledgerPath().isEmpty()) {
            return false;
        }
        try {
            LedgerFile.write(settings.ledgerPath().get(), settings.ledgerWindow().toMinutes(), counts, tally.ledgerWindows());
            out.accept("Ledger written to " + settings.ledgerPath().get().toAbsolutePath());
            return true;
        } catch (IOException | RuntimeException e) {
            log.error("Could not write the ledger to {}: {}", settings.ledgerPath().get().toAbsolutePath(), e.toString(), e);
            return false;
        }
    }

    private String endReason(Counts counts, Duration elapsed) {
        String stopped = stopReason.get();
        if (stopped != null) {
            return "stopped: " + stopped;
        }
        if (settings.eventCount() > 0 && counts.generated() >= settings.eventCount()) {
            return "event-count " + settings.eventCount() + " reached";
        }
        if (!settings.duration().isZero() && elapsed.compareTo(settings.duration()) >= 0) {
            return "duration " + settings.duration() + " elapsed";
        }
        return "backfill caught up with the present";
    }
}
