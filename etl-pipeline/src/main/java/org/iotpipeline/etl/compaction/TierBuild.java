package org.iotpipeline.etl.compaction;

import java.time.Duration;
import java.util.Map;
import org.iotpipeline.store.TierPartition;

/**
 * One partition of a coarser tier built (or, in a dry run, that would be built).
 *
 * @param partition the day (hourly tier) or month (daily tier)
 * @param version   the manifest version published (0 in a dry run)
 * @param sources   what it was built from and their versions
 * @param filesOut  files written
 * @param rows      rows written (one per window, device and metric)
 * @param events    sum of event_count
 * @param took      wall time
 */
public record TierBuild(TierPartition partition, long version, Map<String, Long> sources, int filesOut, long rows,
                        long events, Duration took) {

    public TierBuild {
        sources = Map.copyOf(sources);
    }
}
