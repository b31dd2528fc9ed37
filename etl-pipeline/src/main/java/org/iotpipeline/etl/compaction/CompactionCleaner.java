package org.iotpipeline.etl.compaction;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.iotpipeline.store.FileListing;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what no reader needs any more, never earlier than a grace period after the last moment
 * a reader could have chosen to read it (docs/storage.md, writer obligations).
 *
 * <p>For an hour whose current manifest was published at T:
 * <ul>
 *   <li>its sources (absorbed staging files), superseded manifest versions, and warehouse data
 *       files it does not list stopped being chosen by readers at T at the latest, so they are
 *       deleted once now − T ≥ grace (an unlisted file also must be older than the grace, which
 *       covers files of an attempt that crashed after T);</li>
 *   <li>without a manifest, warehouse data files are crash leftovers that no reader ever chose;
 *       they are deleted once older than the grace (so a live compactor's files are never hit);</li>
 *   <li>hidden leftovers of crashed attempts ({@code _compacting-*} work directories, manifest
 *       temporaries) are deleted once older than the grace;</li>
 *   <li>a closed staging hour directory that is empty is removed.</li>
 * </ul>
 * Every deletion is of a file that is unlisted or absorbed, so a clean-up killed half-way leaves
 * a store that reads the same, and the next pass finishes the job.
 */
final class CompactionCleaner {

    private static final Logger LOG = LoggerFactory.getLogger(CompactionCleaner.class);

    private final MeasurementsStore store;
    private final Duration grace;
    private final Clock clock;
    private final FaultInjector faults;

    CompactionCleaner(MeasurementsStore store, Duration grace, Clock clock, FaultInjector faults) {
        this.store = Objects.requireNonNull(store, "store is null");
        this.grace = Objects.requireNonNull(grace, "grace is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.faults = Objects.requireNonNull(faults, "faults is null");
    }

    /**
     * One pass over the whole store.
     *
     * @param horizon staging hour directories are removed only for hours ending at or before it;
     *                empty: none are removed
     * @param dryRun  count and log what would be deleted, delete nothing
     */
    CleanupResult clean(Optional<Instant> horizon, boolean dryRun) throws IOException {
        Instant now = clock.instant();
        SortedMap<HourPartition, HourManifest> manifests = store.currentManifests();
        SortedMap<HourPartition, List<FileStatus>> staging = store.stagingFiles();
        SortedMap<HourPartition, WarehouseHour> warehouse = listWarehouse();
        Pass pass = new Pass(now, dryRun);

        Set<HourPartition> hours = new TreeSet<>(warehouse.keySet());
        hours.addAll(manifests.keySet());
        for (HourPartition hour : hours) {
            Optional<HourManifest> manifest = Optional.ofNullable(manifests.get(hour));
            WarehouseHour files = warehouse.getOrDefault(hour, new WarehouseHour());
            pass.hour = hour;
            pass.deletedInHour = 0;
            Instant publishedAt = manifest.map(m -> Instant.ofEpochMilli(m.createdAtMillis())).orElse(Instant.EPOCH);
            if (manifest.isPresent()) {
                Set<String> sources = new HashSet<>(manifest.get().sources());
                for (FileStatus file : staging.getOrDefault(hour, List.of())) {
                    if (sources.contains(file.getPath().getName())
                            && pass.delete(store.stagingFileSystem(), file.getPath(), publishedAt, "absorbed staging file")) {
                        pass.stagingFiles++;
                    }
                }
                for (Map.Entry<Long, FileStatus> old : files.manifests.entrySet()) {
                    if (old.getKey() < manifest.get().version()
                            && pass.delete(store.warehouseFileSystem(), old.getValue().getPath(), publishedAt,
                            "superseded manifest")) {
                        pass.manifests++;
                    }
                }
            }
            Set<String> listed = new HashSet<>(manifest.map(HourManifest::files).orElse(List.of()));
            for (FileStatus file : files.dataFiles) {
                if (!listed.contains(file.getPath().getName())) {
                    Instant since = latest(publishedAt, Instant.ofEpochMilli(file.getModificationTime()));
                    if (pass.delete(store.warehouseFileSystem(), file.getPath(), since, "unlisted warehouse file")) {
                        pass.warehouseFiles++;
                    }
                }
            }
            for (Map.Entry<Path, Instant> leftover : files.hiddenLeftovers.entrySet()) {
                if (pass.delete(store.warehouseFileSystem(), leftover.getKey(), leftover.getValue(), "crash leftover")) {
                    pass.workDirectories++;
                }
            }
        }
        if (horizon.isPresent()) {
            removeEmptyStagingHours(horizon.get(), manifests.keySet(), pass);
        }
        return new CleanupResult(pass.stagingFiles, pass.warehouseFiles, pass.manifests, pass.workDirectories,
                pass.stagingHourDirs, pass.waiting, 0);
    }

    /**
     * Removes empty staging directories of compacted, closed hours. A non-recursive delete, so a
     * file that landed meanwhile keeps its directory.
     */
    private void removeEmptyStagingHours(Instant horizon, Set<HourPartition> compacted, Pass pass) throws IOException {
        FileSystem fs = store.stagingFileSystem();
        FileStatus[] dirs = fs.globStatus(new Path(store.stagingRoot(), "year=*/month=*/day=*/hour=*"));
        if (dirs == null) {
            return;
        }
        for (FileStatus dir : dirs) {
            String relative = store.stagingRoot().toUri().relativize(dir.getPath().toUri()).getPath();
            Optional<HourPartition> hour = HourPartition.fromRelativePath(trimSlash(relative));
            if (!dir.isDirectory() || hour.isEmpty() || hour.get().end().isAfter(horizon) || !compacted.contains(hour.get())) {
                continue;
            }
            FileStatus[] content;
            try {
                content = fs.listStatus(dir.getPath());
            } catch (FileNotFoundException e) {
                continue;
            }
            if (content.length > 0) {
                continue;
            }
            if (pass.dryRun) {
                LOG.info("dry run: would remove empty staging directory {}", dir.getPath());
                pass.stagingHourDirs++;
            } else if (fs.delete(dir.getPath(), false)) {
                LOG.debug("removed empty staging directory {}", dir.getPath());
                pass.stagingHourDirs++;
            }
        }
    }

    /** One listing of the whole warehouse, with what the store's data-only view leaves out. */
    private SortedMap<HourPartition, WarehouseHour> listWarehouse() throws IOException {
        SortedMap<HourPartition, WarehouseHour> hours = new TreeMap<>();
        String rootPath = store.warehouseRoot().toUri().getPath();
        for (FileStatus file : FileListing.filesUnder(store.warehouseFileSystem(), store.warehouseRoot(), true)) {
            String path = file.getPath().toUri().getPath();
            if (!path.startsWith(rootPath + "/")) {
                continue;
            }
            String[] parts = path.substring(rootPath.length() + 1).split("/");
            if (parts.length < 5) {
                continue;
            }
            Optional<HourPartition> hour = HourPartition.fromRelativePath(String.join("/", parts[0], parts[1], parts[2], parts[3]));
            if (hour.isEmpty()) {
                continue;
            }
            WarehouseHour entry = hours.computeIfAbsent(hour.get(), h -> new WarehouseHour());
            String name = parts[4];
            Path hourDir = store.warehouseHourDir(hour.get());
            Instant modified = Instant.ofEpochMilli(file.getModificationTime());
            if (parts.length > 5) {
                if (name.startsWith(HourRewriter.WORK_DIR_PREFIX)) {
                    entry.hiddenLeftovers.merge(new Path(hourDir, name), modified, CompactionCleaner::latest);
                }
            } else if (MeasurementsStore.isDataFileName(name)) {
                entry.dataFiles.add(file);
            } else if (MeasurementsStore.manifestVersion(name) > 0) {
                entry.manifests.put(MeasurementsStore.manifestVersion(name), file);
            } else if (name.startsWith("._manifest-") && name.endsWith(".tmp")) {
                entry.hiddenLeftovers.put(file.getPath(), modified); // a publish that died before its rename
            }
        }
        return hours;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String trimSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static final class WarehouseHour {
        final List<FileStatus> dataFiles = new ArrayList<>();
        final SortedMap<Long, FileStatus> manifests = new TreeMap<>();
        final Map<Path, Instant> hiddenLeftovers = new TreeMap<>();
    }

    /** Counters and the grace rule of one pass. */
    private final class Pass {
        final Instant now;
        final boolean dryRun;
        HourPartition hour;
        int deletedInHour;
        int stagingFiles;
        int warehouseFiles;
        int manifests;
        int workDirectories;
        int stagingHourDirs;
        int waiting;

        Pass(Instant now, boolean dryRun) {
            this.now = now;
            this.dryRun = dryRun;
        }

        /** Deletes {@code path} if it stopped being needed at {@code since} and the grace has passed. */
        boolean delete(FileSystem fs, Path path, Instant since, String what) throws IOException {
            if (Duration.between(since, now).compareTo(grace) < 0) {
                waiting++;
                return false;
            }
            if (dryRun) {
                LOG.info("dry run: would delete {} {}", what, path);
                return true;
            }
            boolean deleted = fs.delete(path, true);
            if (deleted) {
                LOG.debug("deleted {} {}", what, path);
                if (deletedInHour++ == 0) {
                    faults.reached(CompactionStep.DELETING, hour);
                }
            }
            return deleted;
        }
    }
}
