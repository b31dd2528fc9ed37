package org.iotpipeline.generator.delivery;

/** Told about every HTTP attempt as it happens, for live progress figures. Must be thread-safe. */
public interface AttemptObserver {

    /** An attempt got a response (of any status) after {@code latencyNanos}. */
    void responded(long latencyNanos);

    /** A retry was scheduled after a retryable failure. */
    void retrying();

    /** Observes nothing. */
    AttemptObserver NONE = new AttemptObserver() {
        @Override
        public void responded(long latencyNanos) {
        }

        @Override
        public void retrying() {
        }
    };
}
