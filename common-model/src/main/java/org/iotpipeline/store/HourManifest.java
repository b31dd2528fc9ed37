package org.iotpipeline.store;

import java.util.List;
import java.util.Objects;

/**
 * What one published version of a compacted warehouse hour holds. Stored as
 * {@code warehouse/measurements/<hour>/_manifest-<version>.json}; the highest version is current.
 *
 * <p>The manifest, not the directory listing, defines the warehouse hour: files in the directory
 * that it does not list (leftovers of a crashed compaction, or superseded versions awaiting
 * deletion) are never read.
 *
 * @param version    1 for the first compaction of the hour, +1 for each re-compaction
 * @param files      names of the Parquet files in the warehouse hour directory that hold the hour
 * @param sources    names of the staging files of the same hour whose rows {@code files} already
 *                   contain; a reader must skip them even while they still exist
 * @param rowCount   rows in {@code files} (from the Parquet footers)
 * @param eventCount sum of {@code event_count} over those rows
 * @param createdAtMillis when the version was published, epoch ms
 * @param retired    the hour was dropped by retention: {@code files} is empty, its rows live on only
 *                   in the coarser tiers, and it is never compacted or rolled up again
 */
public record HourManifest(long version, List<String> files, List<String> sources, long rowCount, long eventCount,
                           long createdAtMillis, boolean retired) {

    /** A version of an hour that holds rows. */
    public HourManifest(long version, List<String> files, List<String> sources, long rowCount, long eventCount,
                        long createdAtMillis) {
        this(version, files, sources, rowCount, eventCount, createdAtMillis, false);
    }

    public HourManifest {
        if (version < 1) {
            throw new IllegalArgumentException("manifest version starts at 1, got " + version);
        }
        files = List.copyOf(Objects.requireNonNull(files, "files"));
        sources = List.copyOf(Objects.requireNonNull(sources, "sources"));
        for (String name : files) {
            requirePlainName(name);
        }
        for (String name : sources) {
            requirePlainName(name);
        }
    }

    private static void requirePlainName(String name) {
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("manifest entries are file names without directories, got '" + name + "'");
        }
    }
}
