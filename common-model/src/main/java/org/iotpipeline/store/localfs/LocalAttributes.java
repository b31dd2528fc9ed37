package org.iotpipeline.store.localfs;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Hadoop's file status needs of a local file, from one {@code stat}, with owner and group
 * names looked up once per id. The JDK's POSIX attributes look the names up in the user database
 * ({@code getpwuid}, {@code getgrgid}: a scan of {@code /etc/passwd}) for every file whose owner is
 * read; the {@code unix} attribute view gives the numeric ids instead. Names on one machine change
 * rarely enough to keep for the file system's life.
 */
final class LocalAttributes {

    private static final boolean UNIX_VIEW = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
    private static final String UNIX_ATTRIBUTES = "unix:size,isDirectory,lastModifiedTime,lastAccessTime,mode,uid,gid";

    private final Map<Integer, String> owners = new ConcurrentHashMap<>();
    private final Map<Integer, String> groups = new ConcurrentHashMap<>();

    /** One file's attributes; {@code mode} holds the permission bits only ({@code 0777}). */
    record Attributes(long size, boolean isDirectory, long modifiedMillis, long accessedMillis, int mode,
                      String owner, String group) {
    }

    /** The attributes of {@code file}, following a symbolic link as Hadoop's status does. */
    Attributes read(Path file) throws IOException {
        if (!UNIX_VIEW) {
            PosixFileAttributes posix = Files.readAttributes(file, PosixFileAttributes.class);
            return new Attributes(posix.size(), posix.isDirectory(), posix.lastModifiedTime().toMillis(),
                    posix.lastAccessTime().toMillis(), ForklessRawLocalFileSystem.mode(posix.permissions()),
                    posix.owner().getName(), posix.group().getName());
        }
        Map<String, Object> unix = Files.readAttributes(file, UNIX_ATTRIBUTES);
        int uid = (Integer) unix.get("uid");
        int gid = (Integer) unix.get("gid");
        String owner = owners.get(uid);
        String group = groups.get(gid);
        if (owner == null || group == null) {
            PosixFileAttributes posix = Files.readAttributes(file, PosixFileAttributes.class);
            owner = owners.computeIfAbsent(uid, id -> posix.owner().getName());
            group = groups.computeIfAbsent(gid, id -> posix.group().getName());
        }
        return new Attributes((Long) unix.get("size"), (Boolean) unix.get("isDirectory"),
                ((FileTime) unix.get("lastModifiedTime")).toMillis(), ((FileTime) unix.get("lastAccessTime")).toMillis(),
                (Integer) unix.get("mode") & 0777, owner, group);
    }
}
