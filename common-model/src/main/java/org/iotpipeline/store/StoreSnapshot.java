package org.iotpipeline.store;

import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * The Parquet files a reader of table {@code measurements} must read so that it sees every row
 * exactly once at the moment of listing (docs/storage.md, "The read rule"): the files of each warehouse hour's current
 * manifest, plus every staging file no manifest has absorbed.
 *
 * @param warehouseFiles files under the warehouse root, with partition directories
 * @param stagingFiles   files under the staging root, with partition directories
 * @param hours          every hour that has rows, in order
 * @param stagingHours   the hours with at least one staging file to read, in order: a reader must
 *                       fold their rows per (window, device, metric) ({@link Rollups#merge}),
 *                       because a window's final row and late rows added later are separate rows
 *                       until compaction merges them. Every other hour is a compacted hour whose
 *                       files hold one row per key.
 */
public record StoreSnapshot(List<Path> warehouseFiles, List<Path> stagingFiles, List<HourPartition> hours,
                            List<HourPartition> stagingHours) {

    public StoreSnapshot {
        warehouseFiles = List.copyOf(warehouseFiles);
        stagingFiles = List.copyOf(stagingFiles);
        hours = List.copyOf(hours);
        stagingHours = List.copyOf(stagingHours);
    }

    public boolean isEmpty() {
        return warehouseFiles.isEmpty() && stagingFiles.isEmpty();
    }
}
