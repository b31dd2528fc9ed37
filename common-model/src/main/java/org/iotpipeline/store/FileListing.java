package org.iotpipeline.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Lists every file under a root of the store. Object stores and HDFS: one recursive listing (a
 * single paginated call on object stores). Local file system: a walk with {@code listStatus},
 * because Hadoop's recursive listing there looks up each file's permissions by forking {@code ls}
 * (no native library): milliseconds per file, seconds for a week of hours.
 */
public final class FileListing {

    private FileListing() {
    }

    /**
     * Every file under {@code root}; none if it does not exist. Files deleted while listing are
     * left out.
     *
     * @param hiddenDirectories whether to descend into directories named {@code _*} or {@code .*}
     *                          (never data; the compactor's clean-up looks there for debris). An
     *                          object-store listing has no directories to skip and returns them anyway.
     */
    public static List<FileStatus> filesUnder(FileSystem fs, Path root, boolean hiddenDirectories) throws IOException {
        List<FileStatus> files = new ArrayList<>();
        if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
            walk(fs, root, hiddenDirectories, files);
            return files;
        }
        RemoteIterator<LocatedFileStatus> iterator;
        try {
            iterator = fs.listFiles(root, true);
        } catch (FileNotFoundException e) {
            return files; // nothing written yet
        }
        while (iterator.hasNext()) {
            try {
                files.add(iterator.next());
            } catch (FileNotFoundException e) {
                continue; // deleted while we listed: a superseded or temporary file
            }
        }
        return files;
    }

    /**
     * Whether a name is hidden: starting with {@code _} or {@code .}, it is never data (in-progress
     * writes, markers, manifests, scratch directories).
     */
    public static boolean isHidden(String name) {
        return name.startsWith("_") || name.startsWith(".");
    }

    private static void walk(FileSystem fs, Path dir, boolean hiddenDirectories, List<FileStatus> files)
            throws IOException {
        FileStatus[] entries;
        try {
            entries = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return; // nothing written yet, or deleted while we listed
        }
        for (FileStatus entry : entries) {
            String name = entry.getPath().getName();
            if (!entry.isDirectory()) {
                files.add(entry);
            } else if (hiddenDirectories || !isHidden(name)) {
                walk(fs, entry.getPath(), hiddenDirectories, files);
            }
        }
    }
}
