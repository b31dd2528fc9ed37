package org.iotpipeline.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The live area of the store (docs/storage.md): what the ETL knows before windows are final.
 *
 * <pre>
 * live/measurements/b-000000042/part-*.parquet   rows of the windows not final after batch 42
 * live/latest/b-000000042/part-*.parquet         newest reading of every (device, metric) after batch 42
 * live/_current-000000042.json                   {@link LivePointer}: which snapshots are current
 * </pre>
 *
 * <p>The ETL writes a batch's snapshots under new names, commits the batch, then publishes a new
 * pointer (hidden temporary name, then rename: it appears whole). Readers take the highest
 * pointer. Older snapshots and pointers are deleted only after a grace period longer than any
 * query, so a reader that chose them can finish. Thread-safe.
 */
public final class LiveArea {

    public static final String OPEN_WINDOWS = "measurements";
    public static final String LATEST = "latest";
    private static final String POINTER_PREFIX = "_current-";
    private static final String POINTER_SUFFIX = ".json";
    private static final String SNAPSHOT_PREFIX = "b-";

    private final FileSystem fs;
    private final Path root;
    private final ObjectMapper mapper = new ObjectMapper();

    private LiveArea(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
    }

    /** Opens the live area at {@code root} (any Hadoop FS URI or a path relative to the working directory). */
    public static LiveArea open(String root, Configuration conf) throws IOException {
        Path path = new Path(root);
        FileSystem fs = path.getFileSystem(conf);
        return new LiveArea(fs, fs.makeQualified(path));
    }

    public Path root() {
        return root;
    }

    /** The directory of an open-window snapshot. */
    public Path openWindowsDir(String name) {
        return new Path(new Path(root, OPEN_WINDOWS), name);
    }

    /** The directory of a latest-readings snapshot. */
    public Path latestDir(String name) {
        return new Path(new Path(root, LATEST), name);
    }

    /**
     * Moves a directory of open-window rows written elsewhere into place as snapshot {@code name},
     * replacing one of that name (left by an earlier attempt of the same batch, never published).
     * A rename, so only within this area's file system.
     *
     * @return false when it could not be moved — {@code written} is on another file system, or the
     *         rename failed: the caller copies it instead; nothing was published, so nothing is lost
     * @throws IOException as the file system does, e.g. for a rename across mount points of viewfs
     *         or HDFS encryption zones
     */
    public boolean adoptOpenWindows(Path written, String name) throws IOException {
        URI from = written.toUri();
        URI here = fs.getUri();
        if (!Objects.equals(from.getScheme(), here.getScheme()) || !Objects.equals(from.getAuthority(), here.getAuthority())) {
            return false;
        }
        Path target = openWindowsDir(name);
        fs.delete(target, true);
        if (fs.exists(target)) {
            return false; // a rename onto it would move the directory inside it
        }
        fs.mkdirs(target.getParent());
        return fs.rename(written, target);
    }

    /** {@code b-<batch id, 9 digits>}: the snapshot directory name of a batch. */
    public static String snapshotName(long batchId) {
        return SNAPSHOT_PREFIX + String.format(Locale.ROOT, "%09d", batchId);
    }

    /** The batch id of a snapshot directory name, or -1 for any other name. */
    public static long snapshotId(String name) {
        return number(name, SNAPSHOT_PREFIX, "");
    }

    /** The current pointer: the highest one published, if any. */
    public Optional<LivePointer> current() throws IOException {
        FileStatus[] entries;
        try {
            entries = fs.listStatus(root);
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
        Path newest = null;
        long newestId = -1;
        for (FileStatus entry : entries) {
            long id = number(entry.getPath().getName(), POINTER_PREFIX, POINTER_SUFFIX);
            if (id > newestId) {
                newestId = id;
                newest = entry.getPath();
            }
        }
        if (newest == null) {
            return Optional.empty();
        }
        try (InputStream in = fs.open(newest)) {
            return Optional.of(mapper.readValue(in, LivePointer.class));
        } catch (FileNotFoundException e) {
            return current(); // superseded and deleted after its grace while we listed: take the next listing
        }
    }

    /**
     * Publishes a pointer so that it appears whole; publishing the same batch again (a replay)
     * leaves the one that exists.
     */
    public void publish(LivePointer pointer) throws IOException {
        Path target = new Path(root, POINTER_PREFIX + String.format(Locale.ROOT, "%09d", pointer.batchId()) + POINTER_SUFFIX);
        if (fs.exists(target)) {
            return;
        }
        fs.mkdirs(root);
        Path temporary = new Path(root, "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        try (OutputStream out = fs.create(temporary, false)) {
            mapper.writeValue(out, pointer);
        }
        if (!fs.rename(temporary, target)) {
            fs.delete(temporary, true);
            if (!fs.exists(target)) {
                throw new IOException("could not rename " + temporary + " to " + target);
            }
        }
    }

    /**
     * Deletes what {@code current} superseded more than {@code grace} ago: pointers of older batches
     * and snapshots older than the ones {@code current} names. An entry was superseded when the next
     * newer one of its kind was written (its modification time), not when it was written itself:
     * one latest-readings snapshot stays current for many batches, until a window closes. A
     * snapshot a later batch may still start from (the current ones) is never deleted.
     *
     * @return how many entries were deleted
     */
    public int deleteSuperseded(LivePointer current, Duration grace, Instant now) throws IOException {
        long cutoff = now.minus(grace).toEpochMilli();
        int deleted = 0;
        deleted += deleteOlder(root, POINTER_PREFIX, POINTER_SUFFIX, current.batchId(), cutoff);
        if (current.openWindows() != null) {
            deleted += deleteOlder(new Path(root, OPEN_WINDOWS), SNAPSHOT_PREFIX, "", snapshotId(current.openWindows()), cutoff);
        }
        if (current.latest() != null) {
            deleted += deleteOlder(new Path(root, LATEST), SNAPSHOT_PREFIX, "", snapshotId(current.latest()), cutoff);
        }
        return deleted;
    }

    private int deleteOlder(Path dir, String prefix, String suffix, long keepFrom, long cutoffMillis) throws IOException {
        FileStatus[] entries;
        try {
            entries = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return 0;
        }
        // By id, newest first: each entry was superseded when the one after it appeared.
        TreeMap<Long, FileStatus> byId = new TreeMap<>(Comparator.reverseOrder());
        for (FileStatus entry : entries) {
            long id = number(entry.getPath().getName(), prefix, suffix);
            if (id >= 0) {
                byId.put(id, entry);
            }
        }
        int deleted = 0;
        Long supersededAt = null;
        for (Map.Entry<Long, FileStatus> entry : byId.entrySet()) {
            if (entry.getKey() < keepFrom && supersededAt != null && supersededAt <= cutoffMillis
                    && fs.delete(entry.getValue().getPath(), true)) {
                deleted++;
            }
            supersededAt = entry.getValue().getModificationTime();
        }
        return deleted;
    }

    /** The decimal number between prefix and suffix of a name, or -1. ASCII digits only. */
    private static long number(String name, String prefix, String suffix) {
        if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length() <= prefix.length() + suffix.length()) {
            return -1;
        }
        String digits = name.substring(prefix.length(), name.length() - suffix.length());
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return digits.length() > 18 ? -1 : Long.parseLong(digits);
    }
}
