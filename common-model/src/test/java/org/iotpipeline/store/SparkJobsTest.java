package org.iotpipeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A failed job is something to fall back from; an interrupted wait is a stop, and stays visible. */
class SparkJobsTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void anInterruptedWaitStopsTheCallerAndKeepsTheInterrupt() {
        InterruptedException interrupted = new InterruptedException("sleep interrupted");

        assertThatThrownBy(() -> SparkJobs.rethrowIfInterrupted(interrupted))
                .isInstanceOf(CancellationException.class).hasCause(interrupted);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void aFailedJobIsLeftToTheCallersFallback() {
        SparkJobs.rethrowIfInterrupted(new java.io.IOException("a file that is not Parquet"));
        SparkJobs.keepInterrupt(new IllegalStateException("job aborted"));

        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void keepInterruptOnlyRestoresTheFlag() {
        SparkJobs.keepInterrupt(new InterruptedException());

        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }
}
