package org.iotpipeline.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files of one {@link Tier}: {@code <warehouse parent>/<tier table>/<partition>/part-*.parquet}
 * plus each partition's manifests. The read rule is the warehouse's: per partition, the files the
 * highest manifest lists, nothing else (no staging: tiers are only ever written by compaction).
 * Thread-safe.
 */
public final class TierStore {

    private final Tier tier;
    private final FileSystem fs;
    private final Path root;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<Path, TierManifest> manifestCache = new ConcurrentHashMap<>();

    private TierStore(Tier tier, FileSystem fs, Path root) {
        this.tier = tier;
        this.fs = fs;
        this.root = root;
    }

    /** The tier next to the 5-minute warehouse of {@code store}: {@code <warehouse parent>/<tier table>}. */
    public static TierStore of(MeasurementsStore store, Tier tier) {
        Objects.requireNonNull(store, "store is null");
        Objects.requireNonNull(tier, "tier is null");
        Path root = new Path(store.warehouseRoot().getParent(), tier.table());
        return new TierStore(tier, store.warehouseFileSystem(), root);
    }

    public Tier tier() {
        return tier;
    }

    public Path root() {
        return root;
    }

    public FileSystem fileSystem() {
        return fs;
    }

    public Path partitionDir(TierPartition partition) {
        return new Path(root, partition.relativePath());
    }

    /** One listing of the tier: per partition, its files, manifests and hidden leftovers. */
    public SortedMap<TierPartition, Listing> list() throws IOException {
        SortedMap<TierPartition, Listing> partitions = new TreeMap<>();
        String rootPath = root.toUri().getPath();
        int depth = tier.partitionColumns().size();
        for (FileStatus file : FileListing.filesUnder(fs, root, true)) {
            String path = file.getPath().toUri().getPath();
            if (!path.startsWith(rootPath + "/")) {
                continue;
            }
            String[] parts = path.substring(rootPath.length() + 1).split("/");
            if (parts.length <= depth) {
                continue;
            }
            Optional<TierPartition> partition = TierPartition.fromRelativePath(tier,
                    String.join("/", java.util.Arrays.copyOfRange(parts, 0, depth)));
            if (partition.isEmpty()) {
                continue;
            }
            Listing listing = partitions.computeIfAbsent(partition.get(), p -> new Listing());
            String name = parts[depth];
            if (parts.length > depth + 1) {
                if (FileListing.isHidden(name)) {
                    listing.hidden.merge(new Path(partitionDir(partition.get()), name), file.getModificationTime(), Math::max);
                }
            } else if (MeasurementsStore.isDataFileName(name)) {
                listing.dataFiles.add(file);
            } else if (MeasurementsStore.manifestVersion(name) > 0) {
                listing.manifests.put(MeasurementsStore.manifestVersion(name), file);
            } else if (name.startsWith(".") && name.endsWith(".tmp")) {
                listing.hidden.put(file.getPath(), file.getModificationTime()); // a publish that died before its rename
            }
        }
        for (Listing listing : partitions.values()) {
            listing.dataFiles.sort(Comparator.comparing(f -> f.getPath().getName()));
        }
        return partitions;
    }

    /** The current manifest of every partition that has one. */
    public SortedMap<TierPartition, TierManifest> currentManifests() throws IOException {
        SortedMap<TierPartition, TierManifest> current = new TreeMap<>();
        for (Map.Entry<TierPartition, Listing> entry : list().entrySet()) {
            if (!entry.getValue().manifests.isEmpty()) {
                current.put(entry.getKey(), read(entry.getValue().manifests.get(entry.getValue().manifests.lastKey()).getPath()));
            }
        }
        return current;
    }

    /** The files a reader reads now: every file the current manifests list (checked to exist). */
    public List<Path> snapshot() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Map.Entry<TierPartition, Listing> entry : list().entrySet()) {
            Listing listing = entry.getValue();
            if (listing.manifests.isEmpty()) {
                continue;
            }
            TierManifest manifest = read(listing.manifests.get(listing.manifests.lastKey()).getPath());
            java.util.Set<String> present = new java.util.HashSet<>();
            listing.dataFiles.forEach(f -> present.add(f.getPath().getName()));
            for (String file : manifest.files()) {
                if (!present.contains(file)) {
                    throw new IOException(entry.getKey() + " is inconsistent: manifest v" + manifest.version() + " lists "
                            + file + ", which is missing");
                }
                files.add(new Path(partitionDir(entry.getKey()), file));
            }
        }
        return files;
    }

    /**
     * Publishes a new version atomically (hidden temporary file, then rename).
     *
     * @throws IOException if that version exists (two compactors) or a listed file is missing
     */
    public void publish(TierPartition partition, TierManifest manifest) throws IOException {
        Path dir = partitionDir(partition);
        for (String file : manifest.files()) {
            if (!fs.exists(new Path(dir, file))) {
                throw new IOException("manifest v" + manifest.version() + " of " + partition + " lists " + file
                        + ", which is not in " + dir);
            }
        }
        Path target = new Path(dir, MeasurementsStore.manifestName(manifest.version()));
        if (fs.exists(target)) {
            throw new IOException(target + " already exists; is another compactor running on this store?");
        }
        fs.mkdirs(dir);
        Path temporary = new Path(dir, "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        try (OutputStream out = fs.create(temporary, false)) {
            mapper.writeValue(out, manifest);
        }
        if (!fs.rename(temporary, target)) {
            fs.delete(temporary, false);
            throw new IOException("could not rename " + temporary + " to " + target);
        }
        manifestCache.put(fs.makeQualified(target), manifest);
    }

    /** Reads a manifest (published manifests are immutable, so each is read once). */
    public TierManifest read(Path path) throws IOException {
        Path key = fs.makeQualified(path);
        TierManifest cached = manifestCache.get(key);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = fs.open(path)) {
            TierManifest manifest = mapper.readValue(in, TierManifest.class);
            manifestCache.put(key, manifest);
            return manifest;
        } catch (IOException e) {
            throw new IOException("cannot read manifest " + path + ": " + e.getMessage(), e);
        }
    }

    /** What one partition directory holds. */
    public static final class Listing {
        private final List<FileStatus> dataFiles = new ArrayList<>();
        private final SortedMap<Long, FileStatus> manifests = new TreeMap<>();
        private final Map<Path, Long> hidden = new TreeMap<>();

        /** Data files, listed by a manifest or not, by name. */
        public List<FileStatus> dataFiles() {
            return dataFiles;
        }

        /** Manifest files by version. */
        public SortedMap<Long, FileStatus> manifests() {
            return manifests;
        }

        /**
         * Hidden leftovers of crashed attempts — work directories and manifest temporaries — with
         * the newest modification time (epoch ms) found in each.
         */
        public Map<Path, Long> hidden() {
            return hidden;
        }
    }
}
