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
 */
public record StoreSnapshot(List<Path> warehouseFiles, List<Path> stagingFiles, List<HourPartition> hours) {

    public StoreSnapshot {
        warehouseFiles = List.copyOf(warehouseFiles);
        stagingFiles = List.copyOf(stagingFiles);
        hours = List.copyOf(hours);
    }

    public boolean isEmpty() {
        return warehouseFiles.isEmpty() && stagingFiles.isEmpty();
    }
}
