package org.iotpipeline.etl.compaction;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FileStatus;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;

/**
 * Finds the hours to compact: closed (the hour ends at or before the horizon), not retired by
 * retention, and holding staging files that the hour's current manifest has not absorbed.
 */
final class CompactionPlanner {

    private final MeasurementsStore store;
    private final long targetFileSize;

    CompactionPlanner(MeasurementsStore store, long targetFileSize) {
        this.store = Objects.requireNonNull(store, "store is null");
        this.targetFileSize = targetFileSize;
    }

    /** The hours to compact, oldest first. */
    List<HourPlan> plan(Instant horizon, Predicate<HourPartition> selected) throws IOException {
        SortedMap<HourPartition, List<FileStatus>> staging = store.stagingFiles();
        SortedMap<HourPartition, HourManifest> manifests = store.currentManifests();
        SortedMap<HourPartition, List<FileStatus>> warehouse = store.warehouseFiles();
        List<HourPlan> plans = new ArrayList<>();
        for (Map.Entry<HourPartition, List<FileStatus>> entry : staging.entrySet()) {
            HourPartition hour = entry.getKey();
            if (hour.end().isAfter(horizon) || !selected.test(hour)) {
                continue;
            }
            Optional<HourManifest> previous = Optional.ofNullable(manifests.get(hour));
            if (previous.isPresent() && previous.get().retired()) {
                // Dropped by retention; nothing can arrive for it (retention exceeds max-event-age).
                continue;
            }
            Set<String> absorbed = new HashSet<>(previous.map(HourManifest::sources).orElse(List.of()));
            List<FileStatus> fresh = new ArrayList<>();
            List<String> kept = new ArrayList<>();
            for (FileStatus file : entry.getValue()) {
                String name = file.getPath().getName();
                if (absorbed.contains(name)) {
                    kept.add(name);
                } else {
                    fresh.add(file);
                }
            }
            if (fresh.isEmpty()) {
                continue;
            }
            Map<String, FileStatus> present = new HashMap<>();
            warehouse.getOrDefault(hour, List.of()).forEach(file -> present.put(file.getPath().getName(), file));
            List<FileStatus> previousFiles = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String name : previous.map(HourManifest::files).orElse(List.of())) {
                FileStatus file = present.get(name);
                if (file == null) {
                    missing.add(name);
                } else {
                    previousFiles.add(file);
                }
            }
            long bytes = HourPlan.bytes(previousFiles) + HourPlan.bytes(fresh);
            plans.add(new HourPlan(hour, previous, previousFiles, missing, fresh, kept,
                    HourPlan.maxOutputFiles(bytes, targetFileSize)));
        }
        return plans;
    }
}
