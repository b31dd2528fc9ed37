package org.iotpipeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasurementsStoreTest {

    private static final HourPartition H1 = new HourPartition(2026, 11, 29, 1);
    private static final HourPartition H2 = new HourPartition(2026, 11, 29, 2);

    @TempDir
    Path root;
    private MeasurementsStore store;

    @BeforeEach
    void open() throws IOException {
        store = MeasurementsStore.open(root.resolve("staging").toUri().toString(),
                root.resolve("warehouse").toUri().toString(), new Configuration());
    }

    @Test
    void anEmptyStoreHasNothingToRead() throws IOException {
        assertThat(store.snapshot().isEmpty()).isTrue();
        assertThat(store.currentManifests()).isEmpty();
    }

    @Test
    void readsCompleteStagingFilesOnly() throws IOException {
        staging(H1, "part-b1-0.parquet", "part-b2-0.parquet", "_part-b3-0.parquet", ".part-b3-0.parquet.crc",
                "notes.txt");
        touch(root.resolve("staging/_batches/year=2026/month=11/day=29/hour=1/part-x.parquet"));
        touch(root.resolve("staging/year=2026/month=11/stray.parquet"));

        StoreSnapshot snapshot = store.snapshot();

        assertThat(names(snapshot.stagingFiles())).containsExactly("part-b1-0.parquet", "part-b2-0.parquet");
        assertThat(snapshot.warehouseFiles()).isEmpty();
        assertThat(snapshot.hours()).containsExactly(H1);
        assertThat(snapshot.stagingFiles().get(0).toString())
                .endsWith("/staging/year=2026/month=11/day=29/hour=1/part-b1-0.parquet");
    }

    @Test
    void aManifestReplacesItsSourcesAndHidesUnlistedWarehouseFiles() throws IOException {
        staging(H1, "part-b1-0.parquet", "part-b2-0.parquet", "part-b3-0.parquet");
        staging(H2, "part-b3-1.parquet");
        warehouse(H1, "part-c1-0.parquet", "part-crashed-0.parquet");
        store.publishManifest(H1, manifest(1, List.of("part-c1-0.parquet"), List.of("part-b1-0.parquet", "part-b2-0.parquet")));

        StoreSnapshot snapshot = store.snapshot();

        assertThat(names(snapshot.warehouseFiles())).containsExactly("part-c1-0.parquet");
        assertThat(names(snapshot.stagingFiles())).containsExactly("part-b3-0.parquet", "part-b3-1.parquet");
        assertThat(snapshot.hours()).containsExactly(H1, H2);
    }

    @Test
    void theHighestVersionIsCurrent() throws IOException {
        staging(H1, "part-b1-0.parquet", "part-b9-0.parquet");
        warehouse(H1, "part-c1-0.parquet", "part-c2-0.parquet");
        store.publishManifest(H1, manifest(1, List.of("part-c1-0.parquet"), List.of("part-b1-0.parquet")));
        store.publishManifest(H1, manifest(2, List.of("part-c2-0.parquet"), List.of("part-b1-0.parquet", "part-b9-0.parquet")));

        StoreSnapshot snapshot = store.snapshot();

        assertThat(names(snapshot.warehouseFiles())).containsExactly("part-c2-0.parquet");
        assertThat(snapshot.stagingFiles()).isEmpty();
        assertThat(store.currentManifest(H1)).get().extracting(HourManifest::version).isEqualTo(2L);
        assertThat(store.currentManifests()).containsOnlyKeys(H1);
        assertThat(store.currentManifest(H2)).isEmpty();
    }

    @Test
    void aManifestIsReadBackFromDiskByAnotherInstance() throws IOException {
        warehouse(H1, "part-c1-0.parquet");
        HourManifest published = manifest(1, List.of("part-c1-0.parquet"), List.of("part-b1-0.parquet"));
        store.publishManifest(H1, published);
        MeasurementsStore other = MeasurementsStore.open(root.resolve("staging").toString(),
                root.resolve("warehouse").toString(), new Configuration());
        assertThat(other.currentManifest(H1)).contains(published);
        assertThat(Files.list(root.resolve("warehouse/" + H1.relativePath())).map(p -> p.getFileName().toString()))
                .contains("_manifest-0000000001.json")
                .noneMatch(name -> name.endsWith(".tmp"));
    }

    @Test
    void refusesToPublishAManifestWhoseFilesAreMissingOrWhoseVersionExists() throws IOException {
        warehouse(H1, "part-c1-0.parquet");
        assertThatThrownBy(() -> store.publishManifest(H1, manifest(1, List.of("part-missing.parquet"), List.of())))
                .isInstanceOf(IOException.class).hasMessageContaining("part-missing.parquet");
        store.publishManifest(H1, manifest(1, List.of("part-c1-0.parquet"), List.of()));
        assertThatThrownBy(() -> store.publishManifest(H1, manifest(1, List.of("part-c1-0.parquet"), List.of())))
                .isInstanceOf(IOException.class).hasMessageContaining("already exists");
    }

    @Test
    void aManifestListingAVanishedFileIsReportedNotSilentlySkipped() throws IOException {
        warehouse(H1, "part-c1-0.parquet");
        store.publishManifest(H1, manifest(1, List.of("part-c1-0.parquet"), List.of()));
        Files.delete(root.resolve("warehouse/" + H1.relativePath() + "/part-c1-0.parquet"));
        assertThatThrownBy(store::snapshot).isInstanceOf(IOException.class).hasMessageContaining("inconsistent");
    }

    @Test
    void aListingThatRacesWithADeletionIsRepeated() throws IOException {
        staging(H1, "part-b1-0.parquet");
        warehouse(H1, "part-c1-0.parquet");
        store.publishManifest(H1, manifest(1, List.of("part-c1-0.parquet"), List.of("part-b1-0.parquet")));
        Configuration conf = new Configuration();
        conf.set("fs.file.impl", VanishingEntryFileSystem.class.getName());
        conf.setBoolean("fs.file.impl.disable.cache", true);
        MeasurementsStore racy = MeasurementsStore.open(root.resolve("staging").toUri().toString(),
                root.resolve("warehouse").toUri().toString(), conf);

        StoreSnapshot snapshot = racy.snapshot();

        assertThat(names(snapshot.warehouseFiles())).containsExactly("part-c1-0.parquet");
        assertThat(snapshot.stagingFiles()).isEmpty();
    }

    /** Fails its first directory listing, as a file system may when an entry vanishes meanwhile. */
    public static final class VanishingEntryFileSystem extends LocalFileSystem {
        private boolean failedOnce;

        @Override
        public FileStatus[] listStatus(org.apache.hadoop.fs.Path path) throws IOException {
            if (!failedOnce) {
                failedOnce = true;
                throw new RuntimeException("Error while running command to get file permissions : "
                        + "ls: cannot access '" + path + "/_temporary/0': No such file or directory");
            }
            return super.listStatus(path);
        }
    }

    @Test
    void manifestNamesSortByVersion() {
        assertThat(MeasurementsStore.manifestName(12)).isEqualTo("_manifest-0000000012.json");
        assertThat(MeasurementsStore.manifestVersion("_manifest-0000000012.json")).isEqualTo(12);
        assertThat(MeasurementsStore.manifestVersion("part-0.parquet")).isZero();
        assertThat(MeasurementsStore.manifestVersion("_manifest-x.json")).isZero();
    }

    private static HourManifest manifest(long version, List<String> files, List<String> sources) {
        return new HourManifest(version, files, sources, 10, 100, 1_764_000_000_000L);
    }

    private void staging(HourPartition hour, String... names) throws IOException {
        for (String name : names) {
            touch(root.resolve("staging/" + hour.relativePath() + "/" + name));
        }
    }

    private void warehouse(HourPartition hour, String... names) throws IOException {
        for (String name : names) {
            touch(root.resolve("warehouse/" + hour.relativePath() + "/" + name));
        }
    }

    private static void touch(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {1});
    }

    private static List<String> names(List<org.apache.hadoop.fs.Path> paths) {
        return paths.stream().map(org.apache.hadoop.fs.Path::getName).toList();
    }
}
