package org.iotpipeline.etl.compaction;

import org.iotpipeline.store.HourPartition;

/**
 * Called by the compactor at each {@link CompactionStep}, so tests can stop it exactly there.
 *
 * <p>The compactor catches {@link Exception}s per hour (the hour counts as failed and the run goes
 * on) but never catches {@link Error}s: an implementation that throws an {@code Error} aborts the
 * whole run on the spot, without any clean-up, which is what a killed process leaves behind.
 */
@FunctionalInterface
public interface FaultInjector {

    /** Injects nothing; the production choice. */
    FaultInjector NONE = (step, hour) -> { };

    void reached(CompactionStep step, HourPartition hour);

    /** The same for a partition of a coarser tier; by default nothing is injected there. */
    default void reached(CompactionStep step, org.iotpipeline.store.TierPartition partition) {
    }
}
