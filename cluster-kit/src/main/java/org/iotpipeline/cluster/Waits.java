package org.iotpipeline.cluster;

import java.util.concurrent.TimeUnit;

/** The polling pace and clock of the Kafka checks: every wait polls, none sleeps as proof. */
final class Waits {

    /** Pause between two looks at the cluster. */
    static final long POLL_MS = 100;

    private Waits() {
    }

    static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
