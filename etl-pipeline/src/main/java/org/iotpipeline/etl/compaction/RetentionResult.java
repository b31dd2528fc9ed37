package org.iotpipeline.etl.compaction;

import java.util.List;

/**
 * What retention dropped in one run (or, in a dry run, would drop): partitions whose rows readers
 * no longer see in their tier (the next coarser tier holds them). Their files are deleted after the
 * grace period by the clean-up.
 *
 * @param hours  5-minute hours of {@code measurements}, e.g. {@code year=2026/month=10/day=1/hour=3}
 * @param days   days of {@code measurements_1h}
 * @param months months of {@code measurements_1d}
 */
public record RetentionResult(List<String> hours, List<String> days, List<String> months) {

    public static final RetentionResult NONE = new RetentionResult(List.of(), List.of(), List.of());

    public RetentionResult {
        hours = List.copyOf(hours);
        days = List.copyOf(days);
        months = List.copyOf(months);
    }

    public int dropped() {
        return hours.size() + days.size() + months.size();
    }
}
