package org.iotpipeline.gateway.ingest;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts events that were accepted for sending but are not yet answered, and refuses work beyond a
 * fixed limit instead of queueing it: under overload the gateway answers 503 at once rather than
 * growing memory. Lock-free; safe for any number of threads.
 */
public final class InFlightLimiter {

    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();

    public InFlightLimiter(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        this.limit = limit;
    }

    /**
     * Takes {@code events} slots if that stays within the limit.
     *
     * @return whether the slots were taken; if so, {@link #release(int)} them exactly once
     */
    public boolean tryAcquire(int events) {
        if (events < 0) {
            throw new IllegalArgumentException("events must not be negative, got " + events);
        }
        while (true) {
            int current = inFlight.get();
            if (current + events > limit) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + events)) {
                return true;
            }
        }
    }

    /** Gives back slots taken by {@link #tryAcquire(int)}. */
    public void release(int events) {
        int after = inFlight.addAndGet(-events);
        if (after < 0) {
            throw new IllegalStateException("released more events than were acquired (now " + after + ")");
        }
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int limit() {
        return limit;
    }
}
