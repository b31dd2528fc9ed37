package org.iotpipeline.etl.commit;

/**
 * Test hook of {@link BatchCommitter}: called at each {@link CommitStep}; throwing from it
 * simulates the process dying right there (the query fails and is restarted from its checkpoint).
 * Production code passes {@link #NONE}.
 */
@FunctionalInterface
public interface FaultInjector {

    FaultInjector NONE = (step, batchId) -> { };

    void reached(CommitStep step, long batchId);
}
