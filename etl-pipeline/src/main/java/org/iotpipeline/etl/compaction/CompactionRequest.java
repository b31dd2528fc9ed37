package org.iotpipeline.etl.compaction;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.iotpipeline.store.HourPartition;

/**
 * What one compaction run should do.
 *
 * @param horizon hours ending at or before it are closed and get compacted; empty: compact
 *                nothing, only clean up (e.g. no streaming watermark yet)
 * @param hours   restrict compaction to these hours; empty: every closed hour
 * @param dryRun  plan and report, change nothing
 */
public record CompactionRequest(Optional<Instant> horizon, Set<HourPartition> hours, boolean dryRun) {

    public CompactionRequest {
        Objects.requireNonNull(horizon, "horizon");
        hours = Set.copyOf(hours);
    }

    /** Compact every hour that ends at or before {@code horizon}, then clean up. */
    public static CompactionRequest upTo(Instant horizon) {
        return new CompactionRequest(Optional.of(horizon), Set.of(), false);
    }

    /** Only delete what the grace allows; compact nothing. */
    public static CompactionRequest cleanUpOnly() {
        return new CompactionRequest(Optional.empty(), Set.of(), false);
    }

    public CompactionRequest asDryRun() {
        return new CompactionRequest(horizon, hours, true);
    }

    boolean selects(HourPartition hour) {
        return hours.isEmpty() || hours.contains(hour);
    }
}
