package org.iotpipeline.etl.compaction;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.iotpipeline.store.TierManifest;
import org.iotpipeline.store.TierPartition;
import org.iotpipeline.store.TierStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clean-up of a coarser tier, with the warehouse's grace rule (docs/compaction.md): per
 * partition whose current manifest was published at T, superseded manifests go once now − T ≥
 * grace, data files it does not list once now − max(T, their modification time) ≥ grace; data
 * files of a partition without manifest and hidden leftovers of crashed builds once older than the
 * grace.
 */
final class TierCleaner {

    private static final Logger LOG = LoggerFactory.getLogger(TierCleaner.class);

    private final TierStore tier;
    private final Duration grace;
    private final Clock clock;

    TierCleaner(TierStore tier, Duration grace, Clock clock) {
        this.tier = Objects.requireNonNull(tier, "tier is null");
        this.grace = Objects.requireNonNull(grace, "grace is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    /** One pass over the tier; returns {deleted, waiting}. */
    int[] clean(boolean dryRun) throws IOException {
        Instant now = clock.instant();
        int deleted = 0;
        int waiting = 0;
        for (Map.Entry<TierPartition, TierStore.Listing> entry : tier.list().entrySet()) {
            TierStore.Listing listing = entry.getValue();
            Instant publishedAt = Instant.EPOCH;
            Set<String> listed = new HashSet<>();
            if (!listing.manifests().isEmpty()) {
                long currentVersion = listing.manifests().lastKey();
                TierManifest current = tier.read(listing.manifests().get(currentVersion).getPath());
                publishedAt = Instant.ofEpochMilli(current.createdAtMillis());
                listed.addAll(current.files());
                for (Map.Entry<Long, FileStatus> old : listing.manifests().entrySet()) {
                    if (old.getKey() < currentVersion) {
                        int[] outcome = delete(old.getValue().getPath(), publishedAt, now, dryRun, "superseded manifest");
                        deleted += outcome[0];
                        waiting += outcome[1];
                    }
                }
            }
            for (FileStatus file : listing.dataFiles()) {
                if (!listed.contains(file.getPath().getName())) {
                    Instant since = max(publishedAt, Instant.ofEpochMilli(file.getModificationTime()));
                    int[] outcome = delete(file.getPath(), since, now, dryRun, "unlisted " + tier.tier().table() + " file");
                    deleted += outcome[0];
                    waiting += outcome[1];
                }
            }
            for (Map.Entry<Path, Long> hidden : listing.hidden().entrySet()) {
                int[] outcome = delete(hidden.getKey(), Instant.ofEpochMilli(hidden.getValue()), now, dryRun,
                        "crash leftover");
                deleted += outcome[0];
                waiting += outcome[1];
            }
        }
        return new int[] {deleted, waiting};
    }

    private int[] delete(Path path, Instant since, Instant now, boolean dryRun, String what) throws IOException {
        if (Duration.between(since, now).compareTo(grace) < 0) {
            return new int[] {0, 1};
        }
        if (dryRun) {
            LOG.info("dry run: would delete {} {}", what, path);
            return new int[] {1, 0};
        }
        boolean gone = tier.fileSystem().delete(path, true);
        if (gone) {
            LOG.debug("deleted {} {}", what, path);
        }
        return new int[] {gone ? 1 : 0, 0};
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
