package org.iotpipeline.query.table;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.iotpipeline.store.SparkJobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-lists the store on its own thread every half refresh interval, so the listing a query finds is
 * normally younger than the interval and {@link MeasurementsTable#refreshIfStale()} costs a query
 * nothing. The freshness rule does not change: a query still lists itself (or waits for the listing
 * in progress) when the last one is older than the interval, e.g. while a slow store takes longer
 * than that to list. An interval of zero (list for every query) starts no thread.
 *
 * <p>Between listings the same thread reads the ETL's live pointer every live refresh interval and
 * lists at once when a new one is out, so the live tables follow the ETL's micro-batches closely
 * while the store itself is listed no more often.
 */
public final class BackgroundRefresh implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackgroundRefresh.class);

    private final ScheduledExecutorService thread;

    private BackgroundRefresh(ScheduledExecutorService thread) {
        this.thread = thread;
    }

    /**
     * @param refreshInterval     the store is re-listed every half of it (zero: no thread, every query lists)
     * @param liveRefreshInterval the live pointer is read this often and a new one re-lists the store
     *                            at once (zero: not read on its own)
     */
    public static BackgroundRefresh start(MeasurementsTable table, Duration refreshInterval, Duration liveRefreshInterval) {
        Objects.requireNonNull(table, "table is null");
        Objects.requireNonNull(liveRefreshInterval, "liveRefreshInterval is null");
        if (refreshInterval.isZero()) {
            return new BackgroundRefresh(null);
        }
        // One thread for both: a listing and a pointer check never run at the same time.
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "store-refresh");
            t.setDaemon(true);
            return t;
        });
        long periodMillis = Math.max(1, refreshInterval.toMillis() / 2);
        thread.scheduleWithFixedDelay(() -> guarded("listing of the store", table::refresh), periodMillis, periodMillis,
                TimeUnit.MILLISECONDS);
        if (!liveRefreshInterval.isZero()) {
            long liveMillis = Math.max(1, liveRefreshInterval.toMillis());
            thread.scheduleWithFixedDelay(() -> guarded("check of the live pointer", table::refreshIfLiveMoved),
                    liveMillis, liveMillis, TimeUnit.MILLISECONDS);
        }
        return new BackgroundRefresh(thread);
    }

    /**
     * A scheduled task that throws is never run again: every exception is logged and the next period
     * tries again. An {@link Error} goes to the thread's uncaught-exception handler, which the
     * executor would never call (the query server's ends the process on a VirtualMachineError).
     */
    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (Exception e) { // Spark's SparkException is checked but undeclared
            SparkJobs.keepInterrupt(e);
            log.warn("Background {} failed ({}); the next query or period tries again", what, e.toString());
        } catch (Error e) {
            Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            throw e;
        }
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
