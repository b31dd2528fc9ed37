package org.iotpipeline.store.localfs;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
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

    /** One file's attributes; {@code mode} holds the permission and sticky bits ({@code 01777}), as Hadoop's. */
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
        String owner = owners.get((Integer) unix.get("uid"));
        String group = groups.get((Integer) unix.get("gid"));
        if (owner == null || group == null) {
            // Ids and principals from one stat, so a file replaced in between cannot pair an id with another's name.
            Map<String, Object> names = Files.readAttributes(file, "unix:uid,gid,owner,group");
            owner = owners.computeIfAbsent((Integer) names.get("uid"), id -> ((UserPrincipal) names.get("owner")).getName());
            group = groups.computeIfAbsent((Integer) names.get("gid"), id -> ((UserPrincipal) names.get("group")).getName());
        }
        return new Attributes((Long) unix.get("size"), (Boolean) unix.get("isDirectory"),
                ((FileTime) unix.get("lastModifiedTime")).toMillis(), ((FileTime) unix.get("lastAccessTime")).toMillis(),
                (Integer) unix.get("mode") & 01777, owner, group);
    }
}
