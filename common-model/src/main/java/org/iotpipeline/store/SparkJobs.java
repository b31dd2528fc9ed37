package org.iotpipeline.store;

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
}
