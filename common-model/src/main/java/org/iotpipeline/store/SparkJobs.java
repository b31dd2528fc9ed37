package org.iotpipeline.store;

import java.util.concurrent.CancellationException;

/** What a caller that falls back after a failed Spark job must not lose. */
public final class SparkJobs {

    private SparkJobs() {
    }

    /**
     * Spark's actions throw checked exceptions undeclared: {@code SparkException} when a job fails,
     * {@code InterruptedException} when the waiting thread is interrupted (a cancelled query). A
     * caller that catches {@link Exception} to fall back calls this so an interrupt stays visible
     * to the code that cancelled it.
     */
    public static void keepInterrupt(Exception failure) {
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * For a caller that falls back after a failed job: an interrupt is no failure to fall back
     * from but a stop (a cancelled query's thread, a shutdown). Keeps the interrupt and throws.
     *
     * @throws CancellationException if {@code failure} is an {@link InterruptedException}
     */
    public static void rethrowIfInterrupted(Exception failure) {
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            CancellationException stop = new CancellationException("interrupted while waiting for a Spark job");
            stop.initCause(failure);
            throw stop;
        }
    }
}
