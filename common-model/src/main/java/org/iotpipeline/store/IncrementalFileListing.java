package org.iotpipeline.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lists every file under one root as {@link FileListing} does, but lists a directory that holds only
 * files (an hour directory of the store) again only when its modification time changed. A reader
 * that re-lists the store every second then lists the few year/month/day directories and the hours
 * that changed, not every hour of the store's history (720 directories for 30 days).
 *
 * <p>Why it is exact: creating, deleting or renaming an entry in a directory sets the directory's
 * modification time (POSIX file systems and HDFS), and every writer of the store adds and removes
 * files only that way (data files appear by rename, manifests are new files, superseded files are
 * deleted). The one gap is a change within the same clock tick as the time already seen, so a
 * directory's listing is remembered only if its modification time was at least {@link #SETTLE}
 * before the listing began (by the reader's clock, so the margin also absorbs clock skew between
 * the reader and the file system): a later change then carries a later time. Hours being written
 * are therefore listed every time.
 *
 * <p>Only for file systems with real directories and their times: {@link #supports} names them.
 * Object stores have neither and keep one recursive listing. Thread-safe.
 */
public final class IncrementalFileListing {

    /** How long a directory must have been unchanged before its listing is remembered. */
    public static final Duration SETTLE = Duration.ofMinutes(1);

    private static final Set<String> SCHEMES_WITH_DIRECTORY_TIMES = Set.of("file", "hdfs");

    private final FileSystem fs;
    private final Path root;
    private final Clock clock;
    private Map<Path, Leaf> leaves = new HashMap<>();

    /** A directory without subdirectories as listed, and its modification time when it was listed. */
    private record Leaf(long modificationTime, List<FileStatus> files) {
    }

    public IncrementalFileListing(FileSystem fs, Path root, Clock clock) {
        this.fs = Objects.requireNonNull(fs, "fs is null");
        this.root = Objects.requireNonNull(root, "root is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        if (!supports(fs)) {
            throw new IllegalArgumentException("file system " + fs.getUri() + " has no directory modification times");
        }
    }

    /** Whether directories of {@code fs} have modification times that every change inside sets. */
    public static boolean supports(FileSystem fs) {
        String scheme = fs.getUri().getScheme(); // FileSystem.getScheme() throws where a file system does not override it
        return scheme != null && SCHEMES_WITH_DIRECTORY_TIMES.contains(scheme.toLowerCase(Locale.ROOT));
    }

    /**
     * Every file under the root, not descending into directories named {@code _*} or {@code .*};
     * none if the root does not exist. Files deleted while listing are left out.
     */
    public synchronized List<FileStatus> filesUnder() throws IOException {
        long settledBefore = clock.millis() - SETTLE.toMillis();
        Map<Path, Leaf> listed = new HashMap<>();
        List<FileStatus> files = new ArrayList<>();
        walk(root, -1, settledBefore, files, listed);
        leaves = listed; // directories gone since the last listing are forgotten
        return files;
    }

    /**
     * @param modificationTime the directory's time from its parent's listing, taken before its own
     *                         listing (so a change in between makes the remembered time stale, never
     *                         the remembered files); -1 for the root, which is always listed
     */
    private void walk(Path dir, long modificationTime, long settledBefore, List<FileStatus> files,
                      Map<Path, Leaf> listed) throws IOException {
        Leaf known = leaves.get(dir);
        if (known != null && known.modificationTime() == modificationTime) {
            files.addAll(known.files());
            listed.put(dir, known);
            return;
        }
        FileStatus[] entries;
        try {
            entries = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return; // nothing written yet, or deleted while we listed
        }
        List<FileStatus> here = new ArrayList<>();
        boolean leaf = true;
        for (FileStatus entry : entries) {
            if (!entry.isDirectory()) {
                here.add(entry);
                continue;
            }
            leaf = false;
            String name = entry.getPath().getName();
            if (!FileListing.isHidden(name)) {
                walk(entry.getPath(), entry.getModificationTime(), settledBefore, files, listed);
            }
        }
        files.addAll(here);
        if (leaf && modificationTime >= 0 && modificationTime < settledBefore) {
            listed.put(dir, new Leaf(modificationTime, List.copyOf(here)));
        }
    }
}
