package org.iotpipeline.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The on-disk layout of table {@code measurements} (docs/storage.md) and the rule by which it is read.
 *
 * <pre>
 * staging/measurements/year=Y/month=M/day=D/hour=H/part-*.parquet      written by the streaming job
 * warehouse/measurements/year=Y/month=M/day=D/hour=H/part-*.parquet    written by compaction
 * warehouse/measurements/year=Y/month=M/day=D/hour=H/_manifest-N.json  published by compaction
 * </pre>
 *
 * <p><b>Read rule.</b> A reader sees each stored row exactly once by reading, for every hour, the
 * files listed in the hour's current (highest-version) manifest plus every staging file of that
 * hour the manifest does not name as a source ({@link #snapshot()}). Files whose name starts with
 * {@code _} or {@code .} are never data (in-progress writes, markers), and warehouse files no
 * manifest lists are never read. An hour with staging files may hold several rows of one
 * (window, device, metric) — its final row and late rows added later — which the reader folds into
 * one with {@link Rollups#merge} ({@link StoreSnapshot#stagingHours()}); compacted hours hold one
 * row per key.
 *
 * <p><b>Writer obligations</b> that make the rule safe at every moment: a data file appears
 * complete (written under a hidden name, then renamed); a manifest is published only after every
 * file it lists is in place and verified, and it is immutable; files a manifest supersedes (the
 * previous version's files and its sources in staging) are deleted only after a grace period
 * longer than any query, because a reader may have listed them just before the publish.
 *
 * <p>Instances are thread-safe. Staging and warehouse may live on different file systems (any
 * Hadoop FS URI).
 */
public final class MeasurementsStore {

    /** The table name readers register. */
    public static final String TABLE = "measurements";

    static final String MANIFEST_PREFIX = "_manifest-";
    static final String MANIFEST_SUFFIX = ".json";
    private static final String DATA_SUFFIX = ".parquet";
    private static final int LISTING_ATTEMPTS = 5;

    private final FileSystem stagingFs;
    private final Path stagingRoot;
    private final FileSystem warehouseFs;
    private final Path warehouseRoot;
    private final ObjectMapper mapper = new ObjectMapper();
    // Published manifests are immutable, so a read one never needs reading again.
    private final Map<Path, HourManifest> manifestCache = new ConcurrentHashMap<>();

    private final FilesUnder stagingListing;
    private final FilesUnder warehouseListing;

    /** Every file under one root of the store, hidden directories skipped. */
    @FunctionalInterface
    private interface FilesUnder {
        List<FileStatus> list() throws IOException;
    }

    private MeasurementsStore(FileSystem stagingFs, Path stagingRoot, FileSystem warehouseFs, Path warehouseRoot,
                              FilesUnder stagingListing, FilesUnder warehouseListing) {
        this.stagingFs = stagingFs;
        this.stagingRoot = stagingRoot;
        this.warehouseFs = warehouseFs;
        this.warehouseRoot = warehouseRoot;
        this.stagingListing = stagingListing;
        this.warehouseListing = warehouseListing;
    }

    /**
     * Opens the store at two roots, e.g. {@code data/staging/measurements} and
     * {@code s3a://bucket/warehouse/measurements}. Relative paths resolve against the working
     * directory. Nothing is created.
     */
    public static MeasurementsStore open(String stagingRoot, String warehouseRoot, Configuration conf) throws IOException {
        Path staging = new Path(stagingRoot);
        Path warehouse = new Path(warehouseRoot);
        FileSystem stagingFs = staging.getFileSystem(conf);
        FileSystem warehouseFs = warehouse.getFileSystem(conf);
        Path stagingQualified = stagingFs.makeQualified(staging);
        Path warehouseQualified = warehouseFs.makeQualified(warehouse);
        return new MeasurementsStore(stagingFs, stagingQualified, warehouseFs, warehouseQualified,
                () -> FileListing.filesUnder(stagingFs, stagingQualified, false),
                () -> FileListing.filesUnder(warehouseFs, warehouseQualified, false));
    }

    /**
     * The same store, listed by a reader that lists often: on file systems with directory times
     * ({@link IncrementalFileListing#supports}), an hour directory is listed again only when it
     * changed; elsewhere as before. For the query server's refresh every second; writers (the
     * compactor) keep listing everything.
     */
    public MeasurementsStore withIncrementalListing(Clock clock) {
        return new MeasurementsStore(stagingFs, stagingRoot, warehouseFs, warehouseRoot,
                incremental(stagingFs, stagingRoot, clock, stagingListing),
                incremental(warehouseFs, warehouseRoot, clock, warehouseListing));
    }

    private static FilesUnder incremental(FileSystem fs, Path root, Clock clock, FilesUnder otherwise) {
        return IncrementalFileListing.supports(fs) ? new IncrementalFileListing(fs, root, clock)::filesUnder : otherwise;
    }

    public Path stagingRoot() {
        return stagingRoot;
    }

    public Path warehouseRoot() {
        return warehouseRoot;
    }

    public FileSystem stagingFileSystem() {
        return stagingFs;
    }

    public FileSystem warehouseFileSystem() {
        return warehouseFs;
    }

    public Path stagingHourDir(HourPartition hour) {
        return new Path(stagingRoot, hour.relativePath());
    }

    public Path warehouseHourDir(HourPartition hour) {
        return new Path(warehouseRoot, hour.relativePath());
    }

    /** Every complete staging data file, by hour. */
    public SortedMap<HourPartition, List<FileStatus>> stagingFiles() throws IOException {
        return listHours(stagingListing, stagingRoot).dataFiles;
    }

    /**
     * Every complete warehouse data file, by hour, whether a manifest lists it or not (the
     * compactor uses this to find leftovers).
     */
    public SortedMap<HourPartition, List<FileStatus>> warehouseFiles() throws IOException {
        return listHours(warehouseListing, warehouseRoot).dataFiles;
    }

    /** The current manifest of every compacted hour. */
    public SortedMap<HourPartition, HourManifest> currentManifests() throws IOException {
        SortedMap<HourPartition, HourManifest> manifests = new TreeMap<>();
        for (Map.Entry<HourPartition, Path> entry : listHours(warehouseListing, warehouseRoot).currentManifests.entrySet()) {
            manifests.put(entry.getKey(), readManifest(entry.getValue()));
        }
        return manifests;
    }

    /** The current manifest of one hour, if it was ever compacted. */
    public Optional<HourManifest> currentManifest(HourPartition hour) throws IOException {
        Path dir = warehouseHourDir(hour);
        FileStatus[] statuses;
        try {
            statuses = warehouseFs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
        Path newest = null;
        long newestVersion = 0;
        for (FileStatus status : statuses) {
            long version = manifestVersion(status.getPath().getName());
            if (version > newestVersion) {
                newestVersion = version;
                newest = status.getPath();
            }
        }
        return newest == null ? Optional.empty() : Optional.of(readManifest(newest));
    }

    /**
     * Publishes a new manifest version of an hour atomically (hidden temporary file, then rename),
     * making its files the hour's warehouse content for every reader from now on.
     *
     * @throws IOException if that version already exists (two compactors must not run on one store)
     *                     or a listed file is missing
     */
    public void publishManifest(HourPartition hour, HourManifest manifest) throws IOException {
        Path dir = warehouseHourDir(hour);
        for (String file : manifest.files()) {
            if (!warehouseFs.exists(new Path(dir, file))) {
                throw new IOException("manifest v" + manifest.version() + " of " + hour + " lists " + file
                        + ", which is not in " + dir);
            }
        }
        Path target = new Path(dir, manifestName(manifest.version()));
        if (warehouseFs.exists(target)) {
            throw new IOException(target + " already exists; is another compactor running on this store?");
        }
        Path temporary = new Path(dir, "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        try (OutputStream out = warehouseFs.create(temporary, false)) {
            mapper.writeValue(out, manifest);
        }
        if (!warehouseFs.rename(temporary, target)) {
            warehouseFs.delete(temporary, false);
            throw new IOException("could not rename " + temporary + " to " + target);
        }
        manifestCache.put(warehouseFs.makeQualified(target), manifest);
    }

    /**
     * The files to read for each row exactly once, as of now (see the class comment). Lists the
     * warehouse, then staging; either order is safe because superseded files outlive a grace
     * period.
     */
    public StoreSnapshot snapshot() throws IOException {
        Listing warehouse = listHours(warehouseListing, warehouseRoot);
        Listing staging = listHours(stagingListing, stagingRoot);
        SortedMap<HourPartition, List<Path>> warehouseFiles = new TreeMap<>();
        SortedMap<HourPartition, List<Path>> stagingFiles = new TreeMap<>();
        for (Map.Entry<HourPartition, Path> entry : warehouse.currentManifests.entrySet()) {
            HourPartition hour = entry.getKey();
            HourManifest manifest = readManifest(entry.getValue());
            Set<String> present = names(warehouse.dataFiles.getOrDefault(hour, List.of()));
            for (String file : manifest.files()) {
                if (!present.contains(file)) {
                    throw new IOException("warehouse hour " + hour + " is inconsistent: manifest v" + manifest.version()
                            + " lists " + file + ", which is missing");
                }
                warehouseFiles.computeIfAbsent(hour, h -> new ArrayList<>()).add(new Path(warehouseHourDir(hour), file));
            }
        }
        for (Map.Entry<HourPartition, List<FileStatus>> entry : staging.dataFiles.entrySet()) {
            HourPartition hour = entry.getKey();
            Path manifestPath = warehouse.currentManifests.get(hour);
            Set<String> absorbed = manifestPath == null ? Set.of() : new HashSet<>(readManifest(manifestPath).sources());
            for (FileStatus file : entry.getValue()) {
                if (!absorbed.contains(file.getPath().getName())) {
                    stagingFiles.computeIfAbsent(hour, h -> new ArrayList<>()).add(file.getPath());
                }
            }
        }
        return new StoreSnapshot(warehouseFiles, stagingFiles);
    }

    private HourManifest readManifest(Path path) throws IOException {
        Path key = warehouseFs.makeQualified(path);
        HourManifest cached = manifestCache.get(key);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = warehouseFs.open(path)) {
            HourManifest manifest = mapper.readValue(in, HourManifest.class);
            manifestCache.put(key, manifest);
            return manifest;
        } catch (IOException e) {
            throw new IOException("cannot read manifest " + path + ": " + e.getMessage(), e);
        }
    }

    public static String manifestName(long version) {
        return String.format(java.util.Locale.ROOT, "%s%010d%s", MANIFEST_PREFIX, version, MANIFEST_SUFFIX);
    }

    /**
     * The version in a manifest file name, or 0 if the name is not one. Public so the compactor can
     * recognise superseded manifest versions when it cleans an hour.
     */
    public static long manifestVersion(String name) {
        if (!name.startsWith(MANIFEST_PREFIX) || !name.endsWith(MANIFEST_SUFFIX)) {
            return 0;
        }
        try {
            return Long.parseLong(name.substring(MANIFEST_PREFIX.length(), name.length() - MANIFEST_SUFFIX.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whether a file name is a complete data file (not hidden, not in progress). */
    public static boolean isDataFileName(String name) {
        return name.endsWith(DATA_SUFFIX) && !FileListing.isHidden(name);
    }

    private static Set<String> names(List<FileStatus> files) {
        Set<String> names = new HashSet<>();
        for (FileStatus file : files) {
            names.add(file.getPath().getName());
        }
        return names;
    }

    /**
     * {@link #listHoursOnce}, repeated when a file vanished under it: writers delete temporary
     * files and superseded files (after their grace) at any time, and some file systems then fail
     * the listing (e.g. with a RuntimeException from a lazy permission lookup) instead of
     * skipping the entry.
     */
    private static Listing listHours(FilesUnder files, Path root) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return listHoursOnce(files, root);
            } catch (RuntimeException e) {
                if (attempt == LISTING_ATTEMPTS) {
                    throw new IOException("listing " + root + " failed " + attempt + " times while files changed under it: "
                            + e.getMessage(), e);
                }
            }
        }
    }

    /** One listing of every file under the root, sorted into hours. */
    private static Listing listHoursOnce(FilesUnder files, Path root) throws IOException {
        Listing listing = new Listing();
        String rootPath = root.toUri().getPath();
        Map<HourPartition, Long> newestVersion = new TreeMap<>();
        for (FileStatus file : files.list()) {
            String path = file.getPath().toUri().getPath();
            if (!path.startsWith(rootPath + "/")) {
                continue;
            }
            String relative = path.substring(rootPath.length() + 1);
            int lastSlash = relative.lastIndexOf('/');
            if (lastSlash < 0) {
                continue;
            }
            Optional<HourPartition> hour = HourPartition.fromRelativePath(relative.substring(0, lastSlash));
            if (hour.isEmpty()) {
                continue;
            }
            String name = relative.substring(lastSlash + 1);
            if (isDataFileName(name)) {
                listing.dataFiles.computeIfAbsent(hour.get(), h -> new ArrayList<>()).add(file);
            } else {
                long version = manifestVersion(name);
                if (version > newestVersion.getOrDefault(hour.get(), 0L)) {
                    newestVersion.put(hour.get(), version);
                    listing.currentManifests.put(hour.get(), file.getPath());
                }
            }
        }
        listing.dataFiles.values().forEach(list -> list.sort(Comparator.comparing(f -> f.getPath().getName())));
        return listing;
    }

    private static final class Listing {
        final SortedMap<HourPartition, List<FileStatus>> dataFiles = new TreeMap<>();
        final SortedMap<HourPartition, Path> currentManifests = new TreeMap<>();
    }
}
