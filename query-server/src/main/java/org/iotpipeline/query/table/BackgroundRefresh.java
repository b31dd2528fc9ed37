package org.iotpipeline.query.table;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-lists the store on its own thread every half refresh interval, so the listing a query finds is
 * normally younger than the interval and {@link MeasurementsTable#refreshIfStale()} costs a query
 * nothing. The freshness rule does not change: a query still lists itself (or waits for the listing
 * in progress) when the last one is older than the interval, e.g. while a slow store takes longer
 * than that to list. An interval of zero (list for every query) starts no thread.
 */
public final class BackgroundRefresh implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackgroundRefresh.class);

    private final ScheduledExecutorService thread;

    private BackgroundRefresh(ScheduledExecutorService thread) {
        this.thread = thread;
    }

    public static BackgroundRefresh start(MeasurementsTable table, Duration refreshInterval) {
        Objects.requireNonNull(table, "table is null");
        if (refreshInterval.isZero()) {
            return new BackgroundRefresh(null);
        }
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "store-refresh");
            t.setDaemon(true);
            return t;
        });
        long periodMillis = Math.max(1, refreshInterval.toMillis() / 2);
        thread.scheduleWithFixedDelay(() -> refresh(table), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        return new BackgroundRefresh(thread);
    }

    /** A scheduled task that throws is never run again: every failure is logged and the next period tries again. */
    private static void refresh(MeasurementsTable table) {
        try {
            table.refresh();
        } catch (RuntimeException e) {
            log.warn("Background listing of the store failed ({}); the next query or period lists again",
                    e.toString());
        }
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
