package org.iotpipeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.iotpipeline.store.localfs.ForklessLocalFileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IncrementalFileListing} on the real local file system: it finds every file a full listing
 * finds after each kind of change, and lists a settled hour directory only when it changed. The
 * reader's clock is fixed; directory times are set explicitly relative to it.
 */
class IncrementalFileListingTest {

    private static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");
    private static final FileTime LONG_AGO = FileTime.from(NOW.minusSeconds(3600));

    @TempDir
    Path root;

    private CountingFileSystem fs;
    private IncrementalFileListing listing;
    private Path hour;

    /** The local file system, counting the directories it lists. */
    public static final class CountingFileSystem extends ForklessLocalFileSystem {
        final List<String> listed = new ArrayList<>();

        @Override
        public FileStatus[] listStatus(org.apache.hadoop.fs.Path path) throws IOException {
            listed.add(path.getName());
            return super.listStatus(path);
        }
    }

    @BeforeEach
    void store() throws IOException {
        fs = new CountingFileSystem();
        fs.initialize(URI.create("file:///"), new Configuration());
        hour = Files.createDirectories(root.resolve("year=2026/month=12/day=2/hour=1"));
        Files.writeString(hour.resolve("part-0.parquet"), "a");
        Files.createDirectories(root.resolve("year=2026/month=12/day=2/hour=2/_temporary"));
        Files.writeString(root.resolve("year=2026/month=12/day=2/hour=2/_temporary/part-9.parquet"), "hidden");
        settle(hour);
        listing = new IncrementalFileListing(fs, new org.apache.hadoop.fs.Path(root.toUri()),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aSettledHourIsListedOnceUntilItChanges() throws IOException {
        assertThat(names(listing.filesUnder())).containsExactly("part-0.parquet");
        assertThat(fs.listed).contains("hour=1");

        fs.listed.clear();
        assertThat(names(listing.filesUnder())).containsExactly("part-0.parquet");
        assertThat(fs.listed).as("directories listed again").doesNotContain("hour=1").contains("day=2", "hour=2");
    }

    @Test
    void filesAddedToOrDeletedFromASettledHourAreSeen() throws IOException {
        listing.filesUnder();

        Files.writeString(hour.resolve("part-1.parquet"), "b"); // sets the directory's time to now
        assertThat(names(listing.filesUnder())).containsExactlyInAnyOrder("part-0.parquet", "part-1.parquet");
        settle(hour);
        listing.filesUnder();

        Files.delete(hour.resolve("part-0.parquet"));
        assertThat(names(listing.filesUnder())).containsExactly("part-1.parquet");
        settle(hour);
        listing.filesUnder();

        Files.writeString(root.resolve("year=2026/month=12/day=2/hour=1/.part-2.parquet.tmp"), "c");
        Files.move(hour.resolve(".part-2.parquet.tmp"), hour.resolve("part-2.parquet"));
        assertThat(names(listing.filesUnder())).containsExactlyInAnyOrder("part-1.parquet", "part-2.parquet");
    }

    @Test
    void anHourChangedWithinTheSettlingTimeIsListedEveryTime() throws IOException {
        // The hour changed 10 s before the listing: a change in the same clock tick after the listing
        // would leave its time as it is, so its files must not be remembered.
        FileTime recent = FileTime.from(NOW.minusSeconds(10));
        Files.setLastModifiedTime(hour, recent);
        listing.filesUnder();

        Files.writeString(hour.resolve("part-1.parquet"), "b");
        Files.setLastModifiedTime(hour, recent); // the change left the directory's time unchanged
        assertThat(names(listing.filesUnder())).containsExactlyInAnyOrder("part-0.parquet", "part-1.parquet");
    }

    @Test
    void newAndRemovedHoursAreSeen() throws IOException {
        listing.filesUnder();

        Path next = Files.createDirectories(root.resolve("year=2026/month=12/day=3/hour=0"));
        Files.writeString(next.resolve("part-5.parquet"), "e");
        assertThat(names(listing.filesUnder())).containsExactlyInAnyOrder("part-0.parquet", "part-5.parquet");

        Files.delete(hour.resolve("part-0.parquet"));
        Files.delete(hour);
        assertThat(names(listing.filesUnder())).containsExactly("part-5.parquet");
    }

    @Test
    void aMissingRootHasNoFiles() throws IOException {
        IncrementalFileListing missing = new IncrementalFileListing(fs,
                new org.apache.hadoop.fs.Path(root.resolve("nothing").toUri()), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(missing.filesUnder()).isEmpty();
    }

    private static void settle(Path dir) throws IOException {
        Files.setLastModifiedTime(dir, LONG_AGO);
    }

    private static List<String> names(List<FileStatus> files) {
        return files.stream().map(f -> f.getPath().getName()).toList();
    }
}
