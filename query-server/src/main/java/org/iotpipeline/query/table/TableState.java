package org.iotpipeline.query.table;

import java.time.Instant;
import org.iotpipeline.store.StoreSnapshot;

/**
 * What table {@code measurements} reads since its last listing.
 *
 * @param snapshot the files, as {@link org.iotpipeline.store.MeasurementsStore#snapshot()} named them
 * @param listedAt when the store was last listed (the files may be older, never newer)
 */
public record TableState(StoreSnapshot snapshot, Instant listedAt) {

    TableState relisted(Instant at) {
        return new TableState(snapshot, at);
    }

    public int fileCount() {
        return snapshot.warehouseFiles().size() + snapshot.stagingFiles().size();
    }
}
