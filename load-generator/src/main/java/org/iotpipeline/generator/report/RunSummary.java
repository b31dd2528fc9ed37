package org.iotpipeline.generator.report;

import java.time.Duration;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The final account of a run, printed at its end and turned into the exit code.
 *
 * @param counts    the sealed counts
 * @param retries   retries over all requests
 * @param responses HTTP responses received, over all attempts
 * @param elapsed   wall-clock time from start to the end of the last request
 * @param latency   request latencies in microseconds
 * @param endReason why generating stopped ("event-count reached", "stopped: SIGTERM", ...)
 * @param ledgerFailed whether a ledger was asked for but could not be written
 */
public record RunSummary(Counts counts, long retries, long responses, Duration elapsed, Histogram latency,
                         String endReason, boolean ledgerFailed) {

    /** Every event acknowledged or rejected. */
    public static final int EXIT_OK = 0;
    /** Unexpected error (details in the log), including a ledger that could not be written. */
    public static final int EXIT_ERROR = 1;
    /** Invalid configuration or command line. */
    public static final int EXIT_USAGE = 2;
    /** Some events failed after all retries (or were unresolved at the shutdown timeout). */
    public static final int EXIT_FAILED_EVENTS = 3;

    /** {@link #EXIT_ERROR} if the ledger is missing, else {@link #EXIT_FAILED_EVENTS} if events failed, else {@link #EXIT_OK}. */
    public int exitCode() {
        if (ledgerFailed) {
            return EXIT_ERROR;
        }
        return counts.failed() > 0 ? EXIT_FAILED_EVENTS : EXIT_OK;
    }

    /** Acknowledged events per second over the whole run. */
    public double acknowledgedPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? counts.acknowledged() / seconds : 0;
    }

    public String render() {
        Counts c = counts;
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "SUMMARY (%s) after %.1f s%n", endReason, elapsed.toMillis() / 1000.0));
        text.append(String.format(Locale.ROOT, "  generated %,d = acknowledged %,d + rejected %,d + failed %,d %s%n",
                c.generated(), c.acknowledged(), c.rejected(), c.failed(),
                c.addsUp() ? "(adds up: every event has exactly one outcome)"
                        : "(DOES NOT ADD UP: " + c.inFlight() + " events without an outcome)"));
        if (c.unresolved() > 0) {
            text.append(String.format(Locale.ROOT,
                    "  of the failed, %,d were still in flight at the shutdown timeout (the gateway may have persisted them)%n",
                    c.unresolved()));
        }
        text.append(String.format(Locale.ROOT, "  duplicates sent %,d (acknowledged %,d); retries %,d; responses %,d%n",
                c.duplicatesSent(), c.duplicatesAcknowledged(), retries, responses));
        text.append(String.format(Locale.ROOT, "  throughput %,.0f events/s acknowledged; latency p50 %s, p99 %s, max %s",
                acknowledgedPerSecond(), ProgressReporter.millis(latency, 50), ProgressReporter.millis(latency, 99),
                ProgressReporter.millis(latency, 100)));
        if (ledgerFailed) {
            text.append(String.format(Locale.ROOT, "%n  THE LEDGER COULD NOT BE WRITTEN (see the error above)"));
        }
        return text.toString();
    }
}
