package org.iotpipeline.generator.report;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.iotpipeline.generator.delivery.AttemptObserver;

/**
 * Request latencies (HdrHistogram, microseconds) and retries as they happen. Recording is
 * lock-free from any thread; reading is done by one reporter at a time.
 */
public final class LiveStats implements AttemptObserver {

    private final Recorder latencies = new Recorder(3);
    private final LongAdder retries = new LongAdder();
    private final LongAdder responses = new LongAdder();
    private final Histogram total = new Histogram(3);
    private Histogram recycled;

    @Override
    public void responded(long latencyNanos) {
        latencies.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(latencyNanos)));
        responses.increment();
    }

    @Override
    public void retrying() {
        retries.increment();
    }

    public long retries() {
        return retries.sum();
    }

    /** HTTP responses received, over all attempts. */
    public long responses() {
        return responses.sum();
    }

    /** Latencies since the previous call; they are added to {@link #total()} as well. */
    public synchronized Histogram sinceLastInterval() {
        Histogram interval = latencies.getIntervalHistogram(recycled);
        total.add(interval);
        recycled = interval;
        return interval.copy();
    }

    /** All latencies so far. */
    public synchronized Histogram total() {
        sinceLastInterval();
        return total.copy();
    }
}
