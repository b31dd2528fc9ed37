package org.iotpipeline.etl.compaction;

import org.iotpipeline.store.TierPartition;

/** A partition of a coarser tier whose build failed; it was left as it was and is retried next run. */
public record TierFailure(TierPartition partition, String reason) {
}
