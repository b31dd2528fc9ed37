package org.iotpipeline.etl.compaction;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Compactor} every {@code interval} inside a long-lived service (the ETL), with the
 * streaming watermark as the horizon: an hour is compacted once (watermark − watermark-lag) has
 * passed its end. Without a watermark yet, a run only cleans up.
 *
 * <p>One daemon thread runs everything, so two runs never overlap; {@link #runNow()} queues an
 * extra run on the same thread. A failed run is logged, counted in {@link #report()}, and the
 * schedule goes on. {@link #stop(Duration)} lets the current hour finish (or, past the timeout,
 * cancels its Spark jobs: an interrupted hour is never published, so that is safe).
 */
public final class CompactionScheduler implements AutoCloseable, Supplier<CompactionReport> {

    private static final Logger LOG = LoggerFactory.getLogger(CompactionScheduler.class);
    private static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Compactor compactor;
    private final CompactionSettings settings;
    private final Supplier<Optional<Instant>> watermark;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicReference<CompactionReport> report = new AtomicReference<>(CompactionReport.EMPTY);

    /**
     * @param compactor the compactor to run (its settings' grace, target size and lags apply)
     * @param settings  enabled, initial delay and interval of the schedule
     * @param watermark the streaming query's current event-time watermark, empty before it has one
     */
    public CompactionScheduler(Compactor compactor, CompactionSettings settings, Supplier<Optional<Instant>> watermark) {
        this.compactor = Objects.requireNonNull(compactor, "compactor is null");
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.watermark = Objects.requireNonNull(watermark, "watermark is null");
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "compaction");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the schedule, unless {@code etl-pipeline.compaction.enabled} is false. Idempotent. */
    public void start() {
        if (!settings.enabled()) {
            LOG.info("scheduled compaction is disabled (etl-pipeline.compaction.enabled = false)");
            return;
        }
        if (!started.compareAndSet(false, true)) {
            return;
        }
        executor.scheduleWithFixedDelay(this::runOnce, settings.initialDelay().toMillis(), settings.interval().toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("scheduled compaction every {} (first in {}), horizon = watermark - {}, grace {}, target file size {} bytes",
                settings.interval(), settings.initialDelay(), settings.watermarkLag(), settings.grace(),
                settings.targetFileSize());
    }

    /**
     * Queues one run now (after any run in progress); completes with the report after it, or
     * exceptionally if the scheduler is stopped.
     */
    public CompletableFuture<CompactionReport> runNow() {
        try {
            return CompletableFuture.supplyAsync(() -> {
                runOnce();
                return report.get();
            }, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the compaction scheduler is stopped", e));
        }
    }

    /** Totals so far; safe to call from any thread. */
    public CompactionReport report() {
        return get();
    }

    /** The same as {@link #report()}, so the scheduler itself can back the meters. */
    @Override
    public CompactionReport get() {
        return report.get();
    }

    /**
     * Stops the schedule and waits for a run in progress: up to {@code timeout} for it to finish
     * its current hour, then its Spark jobs are cancelled.
     *
     * @return true if no run is left in progress
     */
    public boolean stop(Duration timeout) {
        stopping.set(true);
        executor.shutdown();
        try {
            if (executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            LOG.warn("compaction did not finish within {}; cancelling its Spark jobs (nothing unverified is published)",
                    timeout);
            compactor.cancelRunningJobs();
            executor.shutdownNow();
            return executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
            return false;
        }
    }

    /** {@link #stop(Duration)} with 30 s. */
    @Override
    public void close() {
        stop(DEFAULT_STOP_TIMEOUT);
    }

    private void runOnce() {
        if (stopping.get()) {
            return;
        }
        Instant startedAt = compactor.now();
        long startNanos = System.nanoTime();
        Optional<Instant> horizon = Optional.empty();
        try {
            horizon = compactor.horizonFromWatermark(watermark.get());
            CompactionRequest request = horizon.map(CompactionRequest::upTo).orElseGet(CompactionRequest::cleanUpOnly);
            CompactionRun run = compactor.run(request, stopping::get);
            report.updateAndGet(current -> current.plus(run));
        } catch (Exception e) {
            LOG.error("compaction run failed; the next one is in {}", settings.interval(), e);
            Optional<Instant> failedHorizon = horizon;
            report.updateAndGet(current -> current.plusFailedRun(startedAt, Duration.ofNanos(System.nanoTime() - startNanos),
                    failedHorizon, e));
        }
    }
}
