package org.iotpipeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the ETL may delete from the live area: only what a newer entry superseded more than the grace ago. */
class LiveAreaTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    @Test
    void aLatestSnapshotCurrentForLongerThanTheGraceKeepsItsGraceOnceSuperseded() throws IOException {
        LiveArea live = LiveArea.open(dir.toUri().toString(), new Configuration());
        // b-1 was written an hour ago and named by every pointer since; b-9 replaced it a minute ago.
        Path first = latest("b-000000001", NOW.minus(Duration.ofHours(1)));
        latest("b-000000009", NOW.minus(Duration.ofMinutes(1)));

        live.deleteSuperseded(pointer(9, "b-000000009"), GRACE, NOW);

        assertThat(first).as("superseded a minute ago: readers of the previous pointer may still read it").exists();
    }

    @Test
    void aSnapshotSupersededLongerThanTheGraceAgoIsDeletedTheCurrentOneNever() throws IOException {
        LiveArea live = LiveArea.open(dir.toUri().toString(), new Configuration());
        Path first = latest("b-000000001", NOW.minus(Duration.ofHours(2)));
        Path second = latest("b-000000005", NOW.minus(Duration.ofMinutes(30)));
        Path current = latest("b-000000009", NOW.minus(Duration.ofMinutes(20)));

        live.deleteSuperseded(pointer(9, "b-000000009"), GRACE, NOW);

        assertThat(first).as("superseded 30 minutes ago").doesNotExist();
        assertThat(second).as("superseded 20 minutes ago").doesNotExist();
        assertThat(current).as("the current one, however old").exists();
    }

    @Test
    void openWindowsWrittenElsewhereOnTheSameFileSystemAreMovedIntoPlaceReplacingAnEarlierAttempt() throws IOException {
        LiveArea live = LiveArea.open(dir.resolve("live").toUri().toString(), new Configuration());
        Path written = Files.createDirectories(dir.resolve("scratch").resolve("merged"));
        Files.writeString(written.resolve("part-0.parquet"), "rows of this attempt");
        Path earlier = Files.createDirectories(dir.resolve("live").resolve(LiveArea.OPEN_WINDOWS).resolve("b-000000004"));
        Files.writeString(earlier.resolve("part-9.parquet"), "rows of an attempt that died before its commit");

        boolean moved = live.adoptOpenWindows(new org.apache.hadoop.fs.Path(written.toUri()), "b-000000004");

        assertThat(moved).isTrue();
        assertThat(written).doesNotExist();
        assertThat(earlier.resolve("part-0.parquet")).hasContent("rows of this attempt");
        assertThat(earlier.resolve("part-9.parquet")).doesNotExist();
    }

    @Test
    void openWindowsOnAnotherFileSystemAreLeftWhereTheyAre() throws IOException {
        LiveArea live = LiveArea.open(dir.resolve("live").toUri().toString(), new Configuration());

        boolean moved = live.adoptOpenWindows(new org.apache.hadoop.fs.Path("hdfs://namenode:8020/store/_tmp/merged"),
                "b-000000004");

        assertThat(moved).isFalse();
        assertThat(dir.resolve("live")).doesNotExist();
    }

    private Path latest(String name, Instant written) throws IOException {
        Path snapshot = Files.createDirectories(dir.resolve(LiveArea.LATEST).resolve(name));
        Files.setLastModifiedTime(snapshot, FileTime.from(written));
        return snapshot;
    }

    private static LivePointer pointer(long batchId, String latest) {
        return new LivePointer(batchId, null, null, null, latest, 300_000, NOW.toEpochMilli());
    }
}
