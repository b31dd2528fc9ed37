package org.iotpipeline.generator.report;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Renders one progress line per call: rates over the last interval, running totals, and the
 * latency percentiles of the last interval. Called by one scheduler at a time.
 */
public final class ProgressReporter implements Runnable {

    private final Tally tally;
    private final LiveStats stats;
    private final Consumer<String> out;
    private final LongSupplier nanoClock;
    private final Clock clock;
    private final long startNanos;
    private long lastNanos;
    private long lastGenerated;
    private long lastAcknowledged;

    /**
     * @param nanoClock for rates ({@code System::nanoTime})
     * @param clock     for the event-time lag: how far the newest generated event lies behind now
     */
    public ProgressReporter(Tally tally, LiveStats stats, Consumer<String> out, LongSupplier nanoClock, Clock clock) {
        this.tally = Objects.requireNonNull(tally, "tally is null");
        this.stats = Objects.requireNonNull(stats, "stats is null");
        this.out = Objects.requireNonNull(out, "out is null");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.startNanos = nanoClock.getAsLong();
        this.lastNanos = startNanos;
    }

    @Override
    public synchronized void run() {
        long now = nanoClock.getAsLong();
        Counts counts = tally.snapshot();
        Histogram latency = stats.sinceLastInterval();
        double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
        out.accept(String.format(Locale.ROOT,
                "progress %6.1fs: %,9.0f events/s sent, %,9.0f/s acknowledged | generated %,d, acknowledged %,d,"
                        + " rejected %,d, failed %,d, in flight %,d, retries %,d | latency p50 %s p99 %s | event time %s behind",
                (now - startNanos) / 1e9,
                (counts.generated() - lastGenerated) / seconds,
                (counts.acknowledged() - lastAcknowledged) / seconds,
                counts.generated(), counts.acknowledged(), counts.rejected(), counts.failed(), counts.inFlight(),
                stats.retries(),
                millis(latency, 50), millis(latency, 99), lag()));
        lastNanos = now;
        lastGenerated = counts.generated();
        lastAcknowledged = counts.acknowledged();
    }

    private String lag() {
        long newest = tally.newestGenerated();
        if (newest < 0) {
            return "-";
        }
        Duration lag = Duration.ofMillis(Math.max(0, clock.millis() - newest));
        if (lag.toHours() >= 1) {
            return String.format(Locale.ROOT, "%dh%02dm", lag.toHours(), lag.toMinutesPart());
        }
        return String.format(Locale.ROOT, "%.1fs", lag.toMillis() / 1000.0);
    }

    /** A percentile of a microsecond histogram in milliseconds, or "-" without samples. */
    static String millis(Histogram histogram, double percentile) {
        if (histogram.getTotalCount() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f ms", histogram.getValueAtPercentile(percentile) / 1000.0);
    }
}
