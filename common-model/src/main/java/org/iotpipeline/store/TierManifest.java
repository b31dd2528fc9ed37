package org.iotpipeline.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One published version of a {@link TierPartition}, stored as {@code _manifest-<version>.json} in
 * the partition's directory; the highest version is current, and only the files it lists are read.
 *
 * @param version         1, then +1 for each rebuild
 * @param files           names of the Parquet files of the partition that hold it
 * @param sources         what it was built from, with the version each had: 5-minute hours
 *                        ({@code year=…/hour=…} → hour manifest version) for a day of the hourly
 *                        tier, hourly days ({@code year=…/day=…} → day manifest version) for a month
 *                        of the daily tier. A source whose current version differs makes the
 *                        partition stale: it is built again.
 * @param rowCount        rows in {@code files} (from the Parquet footers)
 * @param eventCount      sum of {@code event_count} over them
 * @param createdAtMillis when the version was published, epoch ms
 * @param retired         dropped by retention: no files; its rows live on only in the coarser tier
 */
public record TierManifest(long version, List<String> files, Map<String, Long> sources, long rowCount, long eventCount,
                           long createdAtMillis, boolean retired) {

    public TierManifest {
        if (version < 1) {
            throw new IllegalArgumentException("manifest version starts at 1, got " + version);
        }
        files = List.copyOf(Objects.requireNonNull(files, "files is null"));
        sources = new TreeMap<>(Objects.requireNonNull(sources, "sources is null"));
        for (String name : files) {
            if (name.isEmpty() || name.contains("/")) {
                throw new IllegalArgumentException("manifest entries are file names without directories, got '" + name + "'");
            }
        }
    }
}
