package org.iotpipeline.query.table;

import java.time.Instant;
import org.iotpipeline.store.StoreSnapshot;
import org.iotpipeline.store.TableReader;

/**
 * What the tables read since their last listing.
 *
 * @param listing    the live pointer and the files, as {@link TableReader#list()} found them
 * @param listedAt   when the store was last listed (the files may be older, never newer)
 * @param generation counts the listings that changed the tables: states of one generation read
 *                   the same files, and a newer generation's views replaced the older one's
 */
public record TableState(TableReader.Listing listing, Instant listedAt, long generation) {

    TableState relisted(Instant at) {
        return new TableState(listing, at, generation);
    }

    /** The files of table {@code measurements}. */
    public StoreSnapshot snapshot() {
        return listing.snapshot();
    }

    public int fileCount() {
        return snapshot().warehouseFiles().size() + snapshot().stagingFiles().size();
    }
}
