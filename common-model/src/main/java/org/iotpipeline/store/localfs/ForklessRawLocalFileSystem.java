package org.iotpipeline.store.localfs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system without a process per call. Without Hadoop's native library (which no
 * Maven artifact ships) {@link RawLocalFileSystem} runs {@code chmod} as a child process for every
 * file it creates and every directory it makes, and {@code readlink} for every rename through
 * {@code FileContext} (Spark's checkpoint logs), and {@code ls -ld} the first time a file status's
 * permission, owner or group is read (Spark builds a {@code LocatedFileStatus}, which reads all three,
 * for every file it lists). A micro-batch creates dozens of files and a query lists hundreds, and each
 * fork of a large JVM cost tens of milliseconds on a loaded machine (JFR of the ETL: most of its native
 * time). Here the same operations use {@code java.nio}; everything else is Hadoop's.
 */
public class ForklessRawLocalFileSystem extends RawLocalFileSystem {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final LocalAttributes attributes = new LocalAttributes();

    private static final PosixFilePermission[] BITS = {  // from 0400 down to 0001
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE};

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
        int mode = permission.toShort();
        if (!POSIX || (mode & ~0777) != 0) {
            super.setPermission(p, permission); // sticky bit or a non-POSIX platform: Hadoop's own way
            return;
        }
        Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(mode));
    }

    /** The status of {@code f}; Hadoop's own code (which runs readlink) only for a symbolic link. */
    @Override
    public FileStatus getFileLinkStatus(Path f) throws IOException {
        if (!Files.isSymbolicLink(pathToFile(f).toPath())) {
            return getFileStatus(f); // what Hadoop returns for anything that is not a link
        }
        return super.getFileLinkStatus(f);
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        return withAttributes(super.getFileStatus(f));
    }

    /**
     * A directory's entries with one {@code stat} each. Hadoop's own listing builds each entry's
     * status with {@link #getFileStatus} (a stat, then ours another for the permission) and every
     * owner and group name was looked up in the user database anew: 2 ms for an hour directory's
     * 24 entries, which a reader listing a month of hours every second paid 720 times.
     */
    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        if (!POSIX) {
            return super.listStatus(f);
        }
        java.nio.file.Path dir = pathToFile(f).toPath();
        if (!Files.isDirectory(dir)) {
            // Not opened: a FIFO would block, an unreadable file would fail. Missing: FileNotFoundException.
            return new FileStatus[] {getFileStatus(f)}; // a file lists as itself
        }
        List<FileStatus> result = new ArrayList<>();
        try (DirectoryStream<java.nio.file.Path> entries = Files.newDirectoryStream(dir)) {
            for (java.nio.file.Path entry : entries) {
                // The three-argument Path keeps a ':' in a name a name, as Hadoop's listing does.
                Path child = new Path(f, new Path(null, null, entry.getFileName().toString()));
                try {
                    result.add(status(child, attributes.read(entry)));
                } catch (FileSystemException e) {
                    // Deleted since it was listed (compaction's cleaner), a link loop, no permission to
                    // look: left out, as Hadoop's own listing leaves out what it cannot stat.
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause(); // an I/O error while reading the directory, as a checked exception
        } catch (NotDirectoryException e) {
            return new FileStatus[] {getFileStatus(f)}; // became a file since the check
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException("File " + f + " does not exist"); // as Hadoop says it
        }
        return result.toArray(FileStatus[]::new);
    }

    private FileStatus status(Path path, LocalAttributes.Attributes entry) {
        return new FileStatus(entry.size(), entry.isDirectory(), 1, getDefaultBlockSize(path), entry.modifiedMillis(),
                entry.accessedMillis(), new FsPermission((short) entry.mode()), entry.owner(), entry.group(),
                makeQualified(path));
    }

    /** The status with its permission, owner and group read by one stat call instead of {@code ls -ld}. */
    private FileStatus withAttributes(FileStatus status) throws IOException {
        if (!POSIX) {
            return status;
        }
        LocalAttributes.Attributes read;
        try {
            read = attributes.read(pathToFile(status.getPath()).toPath());
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException("File " + status.getPath() + " does not exist"); // as Hadoop says it
        }
        return new FileStatus(status.getLen(), status.isDirectory(), status.getReplication(), status.getBlockSize(),
                status.getModificationTime(), status.getAccessTime(), new FsPermission((short) read.mode()),
                read.owner(), read.group(), status.getPath());
    }

    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (int i = 0; i < BITS.length; i++) {
            if (permissions.contains(BITS[i])) {
                mode |= 0400 >> i;
            }
        }
        return mode;
    }

    static Set<PosixFilePermission> posix(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                set.add(BITS[i]);
            }
        }
        return set;
    }
}
