package org.iotpipeline.etl.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grace rules of clean-up, on plain files (clean-up never reads their content). */
class CompactionCleanerTest {

    private static final HourPartition H1 = new HourPartition(2026, 3, 1, 10);
    private static final HourPartition H2 = new HourPartition(2026, 3, 1, 11);
    private static final Duration GRACE = Duration.ofMinutes(10);
    private static final Instant T1 = Instant.parse("2026-03-01T13:00:00Z");
    private static final Instant T2 = T1.plus(Duration.ofMinutes(30));

    @TempDir
    Path root;
    private MeasurementsStore store;

    @BeforeEach
    void hourCompactedTwice() throws IOException {
        store = MeasurementsStore.open(root.resolve("staging").toUri().toString(), root.resolve("warehouse").toUri().toString(),
                new Configuration());
        staging(H1, "part-b1.parquet", "part-b2.parquet", "part-b3.parquet");
        warehouse(H1, "part-c1.parquet", T1);
        store.publishManifest(H1, new HourManifest(1, List.of("part-c1.parquet"), List.of("part-b1.parquet", "part-b2.parquet"),
                10, 100, T1.toEpochMilli()));
        warehouse(H1, "part-c2.parquet", T2);
        store.publishManifest(H1, new HourManifest(2, List.of("part-c2.parquet"),
                List.of("part-b1.parquet", "part-b2.parquet", "part-b3.parquet"), 15, 150, T2.toEpochMilli()));
    }

    @Test
    void nothingSupersededGoesBeforeTheGraceSinceThePublishHasPassed() throws IOException {
        CleanupResult result = cleaner(T2.plus(GRACE).minusSeconds(1)).clean(Optional.of(H1.end()), false);

        assertThat(result.deleted()).isZero();
        assertThat(result.waiting()).isEqualTo(5); // 3 sources, v1's file, v1's manifest
        assertThat(files()).contains("staging/" + H1.relativePath() + "/part-b1.parquet",
                "warehouse/" + H1.relativePath() + "/part-c1.parquet",
                "warehouse/" + H1.relativePath() + "/_manifest-0000000001.json");
    }

    @Test
    void afterTheGraceOnlyTheCurrentVersionRemains() throws IOException {
        warehouse(H1, "notes.txt", T1); // not ours: never touched

        CleanupResult result = cleaner(T2.plus(GRACE)).clean(Optional.of(H1.end()), false);

        assertThat(result).isEqualTo(new CleanupResult(3, 1, 1, 0, 1, 0, 0));
        assertThat(files()).containsExactlyInAnyOrder(
                "warehouse/" + H1.relativePath() + "/part-c2.parquet",
                "warehouse/" + H1.relativePath() + "/_manifest-0000000002.json",
                "warehouse/" + H1.relativePath() + "/notes.txt");
        assertThat(Files.exists(root.resolve("staging/" + H1.relativePath()))).as("empty staging hour removed").isFalse();
    }

    @Test
    void crashLeftoversGoOnceOlderThanTheGraceWithOrWithoutAManifest() throws IOException {
        Instant now = T2.plus(GRACE).plus(Duration.ofHours(1));
        warehouse(H1, "part-c3-old.parquet", now.minus(GRACE).minusSeconds(1));
        warehouse(H1, "part-c3-fresh.parquet", now.minusSeconds(60)); // maybe a compactor at work: keep
        warehouse(H1, "_compacting-c3-x/part-00000.parquet", now.minus(GRACE).minusSeconds(1));
        warehouse(H1, "._manifest-0000000003.json.abc.tmp", now.minus(GRACE).minusSeconds(1));
        warehouse(H2, "part-c1-old.parquet", now.minus(GRACE).minusSeconds(1));
        warehouse(H2, "part-c1-fresh.parquet", now.minusSeconds(60));

        CleanupResult result = cleaner(now).clean(Optional.of(H2.end()), false);

        assertThat(result.workDirectories()).isEqualTo(2);
        assertThat(result.waiting()).isEqualTo(2);
        assertThat(files()).contains("warehouse/" + H1.relativePath() + "/part-c3-fresh.parquet",
                "warehouse/" + H2.relativePath() + "/part-c1-fresh.parquet");
        assertThat(files()).doesNotContain("warehouse/" + H1.relativePath() + "/part-c3-old.parquet",
                "warehouse/" + H2.relativePath() + "/part-c1-old.parquet",
                "warehouse/" + H1.relativePath() + "/_compacting-c3-x/part-00000.parquet",
                "warehouse/" + H1.relativePath() + "/._manifest-0000000003.json.abc.tmp");
    }

    @Test
    void stagingHoursAreRemovedOnlyWhenClosedAndEmpty() throws IOException {
        CleanupResult withoutHorizon = cleaner(T2.plus(GRACE)).clean(Optional.empty(), false);

        assertThat(withoutHorizon.stagingFiles()).isEqualTo(3);
        assertThat(withoutHorizon.stagingHourDirs()).isZero();
        assertThat(Files.isDirectory(root.resolve("staging/" + H1.relativePath()))).isTrue();

        staging(H1, "part-b4.parquet"); // a late file, not absorbed yet
        assertThat(cleaner(T2.plus(GRACE)).clean(Optional.of(H1.end()), false).stagingHourDirs()).isZero();
        assertThat(files()).contains("staging/" + H1.relativePath() + "/part-b4.parquet");
    }

    @Test
    void aDryRunCountsButDeletesNothing() throws IOException {
        List<String> before = files();

        CleanupResult result = cleaner(T2.plus(GRACE)).clean(Optional.of(H1.end()), true);

        assertThat(result.stagingFiles()).isEqualTo(3);
        assertThat(result.warehouseFiles()).isEqualTo(1);
        assertThat(result.manifests()).isEqualTo(1);
        assertThat(files()).isEqualTo(before);
    }

    private CompactionCleaner cleaner(Instant now) {
        return new CompactionCleaner(store, GRACE, new MutableClock(now), FaultInjector.NONE);
    }

    private void staging(HourPartition hour, String... names) throws IOException {
        for (String name : names) {
            touch(root.resolve("staging/" + hour.relativePath() + "/" + name), T1.minus(Duration.ofHours(1)));
        }
    }

    private void warehouse(HourPartition hour, String name, Instant modified) throws IOException {
        touch(root.resolve("warehouse/" + hour.relativePath() + "/" + name), modified);
    }

    private static void touch(Path file, Instant modified) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {1});
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    /** Every file under root except checksums, relative and sorted. */
    private List<String> files() throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).filter(path -> !path.getFileName().toString().endsWith(".crc"))
                    .map(path -> root.relativize(path).toString()).sorted().toList();
        }
    }
}
