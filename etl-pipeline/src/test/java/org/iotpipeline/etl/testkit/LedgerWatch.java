package org.iotpipeline.etl.testkit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads the table in a loop on a thread of its own while a test runs and records every moment a
 * (window, device, metric) held more events than the ledger allows, or a key the ledger does not
 * know: "never counted twice" must hold at every poll, not only at the end.
 */
public final class LedgerWatch implements AutoCloseable {

    private static final long POLL_INTERVAL_NANOS = 50_000_000;

    private final StoreReader reader;
    private final Map<String, Long> ledger;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    /** @param ledger key ({@link StoreReader#key}) → the most events that key may ever hold */
    public LedgerWatch(StoreReader reader, Map<String, Long> ledger) {
        this.reader = reader;
        this.ledger = Map.copyOf(ledger);
        this.thread = new Thread(this::loop, "ledger-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running.get()) {
            try {
                for (Map.Entry<String, Long> stored : reader.countsByKey().entrySet()) {
                    Long allowed = ledger.get(stored.getKey());
                    if (allowed == null || stored.getValue() > allowed) {
                        violations.add("poll " + polls.get() + ": " + stored.getKey() + " holds " + stored.getValue()
                                + " events, the ledger " + allowed);
                    }
                }
                polls.incrementAndGet();
            } catch (RuntimeException e) {
                violations.add("poll " + polls.get() + " failed: " + e);
            }
            // A poll interval, to leave the two cores to Spark; no assertion depends on it.
            java.util.concurrent.locks.LockSupport.parkNanos(POLL_INTERVAL_NANOS);
        }
    }

    public int polls() {
        return polls.get();
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
