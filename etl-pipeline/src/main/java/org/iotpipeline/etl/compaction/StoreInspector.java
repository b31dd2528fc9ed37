package org.iotpipeline.etl.compaction;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FileStatus;
import org.iotpipeline.etl.compaction.ParquetFooters.FileSummary;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;

/**
 * What each hour of the store holds, from listings and Parquet footers only (no Spark, no data
 * pages): staging files still to be compacted, staging files already absorbed (waiting for their
 * grace), the warehouse files of the current manifest, and warehouse files no manifest lists.
 */
final class StoreInspector {

    private final MeasurementsStore store;
    private final ParquetFooters footers;

    StoreInspector(MeasurementsStore store, ParquetFooters footers) {
        this.store = Objects.requireNonNull(store, "store is null");
        this.footers = Objects.requireNonNull(footers, "footers is null");
    }

    List<HourInspection> inspect(Predicate<HourPartition> selected) throws IOException {
        SortedMap<HourPartition, List<FileStatus>> staging = store.stagingFiles();
        SortedMap<HourPartition, List<FileStatus>> warehouse = store.warehouseFiles();
        SortedMap<HourPartition, HourManifest> manifests = store.currentManifests();
        Set<HourPartition> hours = new TreeSet<>(staging.keySet());
        hours.addAll(warehouse.keySet());
        hours.addAll(manifests.keySet());
        List<HourInspection> result = new ArrayList<>();
        for (HourPartition hour : hours) {
            if (!selected.test(hour)) {
                continue;
            }
            Optional<HourManifest> manifest = Optional.ofNullable(manifests.get(hour));
            Set<String> sources = new HashSet<>(manifest.map(HourManifest::sources).orElse(List.of()));
            Set<String> listed = new HashSet<>(manifest.map(HourManifest::files).orElse(List.of()));
            FileGroup pending = FileGroup.EMPTY;
            FileGroup absorbed = FileGroup.EMPTY;
            for (FileStatus file : staging.getOrDefault(hour, List.of())) {
                FileSummary summary = footers.summarize(file);
                if (sources.contains(file.getPath().getName())) {
                    absorbed = absorbed.plus(summary);
                } else {
                    pending = pending.plus(summary);
                }
            }
            FileGroup current = FileGroup.EMPTY;
            FileGroup unlisted = FileGroup.EMPTY;
            for (FileStatus file : warehouse.getOrDefault(hour, List.of())) {
                FileSummary summary = footers.summarize(file);
                if (listed.contains(file.getPath().getName())) {
                    current = current.plus(summary);
                } else {
                    unlisted = unlisted.plus(summary);
                }
            }
            result.add(new HourInspection(hour, manifest.map(HourManifest::version).orElse(0L), pending, absorbed, current,
                    unlisted));
        }
        return result;
    }

    /**
     * One hour.
     *
     * @param hour            the hour
     * @param manifestVersion its current manifest version, 0 if never compacted
     * @param staging         staging files readers read (not absorbed by the manifest)
     * @param absorbed        staging files the manifest absorbed, awaiting deletion after the grace
     * @param warehouse       files the current manifest lists
     * @param leftovers       warehouse data files no manifest lists (superseded or crashed attempts)
     */
    record HourInspection(HourPartition hour, long manifestVersion, FileGroup staging, FileGroup absorbed,
                          FileGroup warehouse, FileGroup leftovers) {
    }

    /**
     * Totals of a group of files.
     *
     * @param files          how many
     * @param rows           rows (footers)
     * @param bytes          bytes on disk
     * @param minWindowStart smallest window_start (footer statistics), if known
     * @param maxWindowStart largest window_start, if known
     */
    record FileGroup(int files, long rows, long bytes, Optional<Instant> minWindowStart, Optional<Instant> maxWindowStart) {

        static final FileGroup EMPTY = new FileGroup(0, 0, 0, Optional.empty(), Optional.empty());

        FileGroup plus(FileSummary file) {
            return new FileGroup(files + 1, rows + file.rows(), bytes + file.bytes(),
                    pick(minWindowStart, file.minWindowStart(), true), pick(maxWindowStart, file.maxWindowStart(), false));
        }

        FileGroup plus(FileGroup other) {
            return new FileGroup(files + other.files, rows + other.rows, bytes + other.bytes,
                    pick(minWindowStart, other.minWindowStart, true), pick(maxWindowStart, other.maxWindowStart, false));
        }

        private static Optional<Instant> pick(Optional<Instant> a, Optional<Instant> b, boolean smaller) {
            if (a.isEmpty()) {
                return b;
            }
            if (b.isEmpty()) {
                return a;
            }
            return (a.get().isBefore(b.get()) == smaller) ? a : b;
        }
    }
}
