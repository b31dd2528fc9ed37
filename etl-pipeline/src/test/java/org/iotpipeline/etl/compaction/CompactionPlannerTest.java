package org.iotpipeline.etl.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which hours get compacted, from what, into how many files (planning only lists files). */
class CompactionPlannerTest {

    private static final HourPartition H1 = new HourPartition(2026, 3, 1, 10);
    private static final HourPartition H2 = new HourPartition(2026, 3, 1, 11);
    private static final HourPartition H3 = new HourPartition(2026, 3, 1, 12);

    @TempDir
    Path root;
    private MeasurementsStore store;

    @BeforeEach
    void open() throws IOException {
        store = MeasurementsStore.open(root.resolve("staging").toUri().toString(), root.resolve("warehouse").toUri().toString(),
                new Configuration());
    }

    @Test
    void plansClosedHoursWithUnabsorbedStagingFilesOnly() throws IOException {
        file("staging", H1, "part-b1.parquet", 100);
        file("staging", H1, "part-b2.parquet", 100);
        file("staging", H2, "part-b1.parquet", 100); // absorbed below: nothing new
        file("warehouse", H2, "part-c1.parquet", 80);
        store.publishManifest(H2, manifest(1, List.of("part-c1.parquet"), List.of("part-b1.parquet")));
        file("staging", H3, "part-b1.parquet", 100); // open

        List<HourPlan> plans = new CompactionPlanner(store, 1000).plan(H3.start(), hour -> true);

        assertThat(plans).singleElement().satisfies(plan -> {
            assertThat(plan.hour()).isEqualTo(H1);
            assertThat(plan.nextVersion()).isEqualTo(1);
            assertThat(names(plan.newStagingFiles())).containsExactly("part-b1.parquet", "part-b2.parquet");
            assertThat(plan.previousFiles()).isEmpty();
            assertThat(plan.inputBytes()).isEqualTo(200);
            assertThat(plan.maxOutputFiles()).isEqualTo(1);
        });
    }

    @Test
    void aLateFileReplansTheHourWithThePreviousVersionAndKeepsHidingOldSources() throws IOException {
        file("staging", H1, "part-b1.parquet", 300);
        file("staging", H1, "part-b9.parquet", 300); // late
        file("warehouse", H1, "part-c1.parquet", 500);
        // part-b0 was absorbed by v1 and is gone already: it need not be named again.
        store.publishManifest(H1, manifest(1, List.of("part-c1.parquet"), List.of("part-b0.parquet", "part-b1.parquet")));

        HourPlan plan = new CompactionPlanner(store, 400).plan(H1.end(), hour -> true).get(0);

        assertThat(plan.nextVersion()).isEqualTo(2);
        assertThat(names(plan.previousFiles())).containsExactly("part-c1.parquet");
        assertThat(names(plan.newStagingFiles())).containsExactly("part-b9.parquet");
        assertThat(plan.nextSources()).containsExactly("part-b1.parquet", "part-b9.parquet");
        assertThat(plan.maxOutputFiles()).isEqualTo(2); // ceil(800 / 400)
    }

    @Test
    void aManifestListingMissingFilesIsPlannedAsBroken() throws IOException {
        file("warehouse", H1, "part-c1.parquet", 10);
        store.publishManifest(H1, manifest(1, List.of("part-c1.parquet"), List.of()));
        Files.delete(root.resolve("warehouse/" + H1.relativePath() + "/part-c1.parquet"));
        file("staging", H1, "part-b1.parquet", 10);

        HourPlan plan = new CompactionPlanner(store, 1000).plan(H1.end(), hour -> true).get(0);

        assertThat(plan.missingPreviousFiles()).containsExactly("part-c1.parquet");
    }

    @Test
    void onlySelectedHoursArePlanned() throws IOException {
        file("staging", H1, "part-b1.parquet", 10);
        file("staging", H2, "part-b1.parquet", 10);

        assertThat(new CompactionPlanner(store, 1000).plan(H3.end(), H2::equals)).extracting(HourPlan::hour)
                .containsExactly(H2);
    }

    @Test
    void outputFilesAreCeilOfBytesOverTargetAndAtLeastOne() {
        assertThat(HourPlan.maxOutputFiles(0, 100)).isEqualTo(1);
        assertThat(HourPlan.maxOutputFiles(100, 100)).isEqualTo(1);
        assertThat(HourPlan.maxOutputFiles(101, 100)).isEqualTo(2);
        assertThat(HourPlan.maxOutputFiles(Long.MAX_VALUE / 2, 1)).isEqualTo(Integer.MAX_VALUE);
    }

    private static HourManifest manifest(long version, List<String> files, List<String> sources) {
        return new HourManifest(version, files, sources, 1, 1, 1L);
    }

    private void file(String tree, HourPartition hour, String name, int bytes) throws IOException {
        Path file = root.resolve(tree + "/" + hour.relativePath() + "/" + name);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[bytes]);
    }

    private static List<String> names(List<FileStatus> files) {
        return files.stream().map(file -> file.getPath().getName()).toList();
    }
}
