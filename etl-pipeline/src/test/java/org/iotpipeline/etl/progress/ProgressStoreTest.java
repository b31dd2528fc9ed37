package org.iotpipeline.etl.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressStoreTest {

    @Test
    void keepsTheLastSnapshotAcrossInstances(@TempDir Path dir) {
        String file = dir.resolve("checkpoints/progress.json").toUri().toString();
        assertThat(new ProgressStore(file, new Configuration()).load()).isEqualTo(ProgressSnapshot.EMPTY);

        new ProgressStore(file, new Configuration()).save(new ProgressSnapshot(7, 1_764_000_000_000L, 1_764_000_060_000L));
        new ProgressStore(file, new Configuration()).save(new ProgressSnapshot(8, 1_764_000_300_000L, 1_764_000_360_000L));

        assertThat(new ProgressStore(file, new Configuration()).load())
                .isEqualTo(new ProgressSnapshot(8, 1_764_000_300_000L, 1_764_000_360_000L));
    }

    @Test
    void anUnreadableFileMeansStartingWithoutIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("progress.json");
        Files.writeString(file, "{ not json");

        assertThat(new ProgressStore(file.toUri().toString(), new Configuration()).load()).isEqualTo(ProgressSnapshot.EMPTY);
    }

    @Test
    void theTrackerStartsFromTheSavedSnapshot(@TempDir Path dir) {
        ProgressStore store = new ProgressStore(dir.resolve("progress.json").toUri().toString(), new Configuration());
        store.save(new ProgressSnapshot(8, 1_764_000_300_000L, 1_764_000_360_000L));

        StreamProgressTracker tracker = new StreamProgressTracker("events", store, java.time.Clock.systemUTC());

        assertThat(tracker.watermark()).hasValue(java.time.Instant.ofEpochMilli(1_764_000_300_000L));
        assertThat(tracker.maxEventTimeMs()).hasValue(1_764_000_360_000L);
    }
}
