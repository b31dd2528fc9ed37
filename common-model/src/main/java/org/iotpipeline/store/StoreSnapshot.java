package org.iotpipeline.store;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;

/**
 * The Parquet files a reader of table {@code measurements} must read so that it sees every row
 * exactly once at the moment of listing (docs/storage.md, "The read rule"): the files of each warehouse hour's current
 * manifest, plus every staging file no manifest has absorbed.
 *
 * <p>Files are kept by the hour the listing found them in, whatever the directory's spelling
 * (leading zeros), so a reader never has to parse a path again. Hours without files are left out.
 *
 * @param warehouseByHour files under the warehouse root, with partition directories, by hour
 * @param stagingByHour   files under the staging root, with partition directories, by hour
 */
public record StoreSnapshot(SortedMap<HourPartition, List<Path>> warehouseByHour,
                            SortedMap<HourPartition, List<Path>> stagingByHour) {

    public StoreSnapshot {
        warehouseByHour = nonEmptyCopy(warehouseByHour);
        stagingByHour = nonEmptyCopy(stagingByHour);
    }

    /** Every warehouse file, in hour order. */
    public List<Path> warehouseFiles() {
        return flatten(warehouseByHour);
    }

    /** Every staging file, in hour order. */
    public List<Path> stagingFiles() {
        return flatten(stagingByHour);
    }

    /** Every hour that has rows, in order. */
    public List<HourPartition> hours() {
        TreeSet<HourPartition> hours = new TreeSet<>(warehouseByHour.keySet());
        hours.addAll(stagingByHour.keySet());
        return List.copyOf(hours);
    }

    /**
     * The hours with at least one staging file to read, in order: a reader must fold their rows per
     * (window, device, metric) ({@link Rollups#merge}), because a window's final row and late rows
     * added later are separate rows until compaction merges them. Every other hour is a compacted
     * hour whose files hold one row per key.
     */
    public List<HourPartition> stagingHours() {
        return List.copyOf(stagingByHour.keySet());
    }

    public boolean isEmpty() {
        return warehouseByHour.isEmpty() && stagingByHour.isEmpty();
    }

    private static SortedMap<HourPartition, List<Path>> nonEmptyCopy(Map<HourPartition, List<Path>> byHour) {
        TreeMap<HourPartition, List<Path>> copy = new TreeMap<>();
        byHour.forEach((hour, files) -> {
            if (!files.isEmpty()) {
                copy.put(hour, List.copyOf(files));
            }
        });
        return Collections.unmodifiableSortedMap(copy);
    }

    private static List<Path> flatten(SortedMap<HourPartition, List<Path>> byHour) {
        return byHour.values().stream().flatMap(List::stream).toList();
    }
}
