package org.iotpipeline.query.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.iotpipeline.store.MeasurementsStore;
import org.iotpipeline.store.localfs.ForklessLocalFileSystem;

/**
 * How long one snapshot of a store takes (what the query server's background refresh does every
 * half refresh interval), listing everything as the compactor does and incrementally as the query
 * server does. Arguments: the benchmark directory (holding {@code staging/} and {@code warehouse/})
 * and the number of snapshots per round. See docs/perf-query.md.
 */
public final class ListingProfile {

    private ListingProfile() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int snapshots = Integer.parseInt(args[1]);
        Configuration conf = new Configuration();
        conf.set("fs.file.impl", ForklessLocalFileSystem.class.getName()); // as the services configure it
        MeasurementsStore full = MeasurementsStore.open(dir.resolve("staging/measurements").toUri().toString(),
                dir.resolve("warehouse/measurements").toUri().toString(), conf);
        MeasurementsStore incremental = full.withIncrementalListing(Clock.systemUTC());
        for (int round = 1; round <= 3; round++) {
            System.out.printf(Locale.ROOT, "round %d: full %.1f ms, incremental %.1f ms per snapshot%n", round,
                    millisPerSnapshot(full, snapshots), millisPerSnapshot(incremental, snapshots));
        }
    }

    private static double millisPerSnapshot(MeasurementsStore store, int snapshots) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < snapshots; i++) {
            store.snapshot();
        }
        return (System.nanoTime() - start) / 1e6 / snapshots;
    }
}
