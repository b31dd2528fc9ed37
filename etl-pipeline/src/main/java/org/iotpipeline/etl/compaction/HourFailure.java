package org.iotpipeline.etl.compaction;

import org.iotpipeline.store.HourPartition;

/**
 * An hour whose compaction failed; nothing of the attempt was published, so readers still see the
 * hour as before, and the next run tries again.
 *
 * @param hour   the hour
 * @param reason the error, for people
 */
public record HourFailure(HourPartition hour, String reason) {
}
