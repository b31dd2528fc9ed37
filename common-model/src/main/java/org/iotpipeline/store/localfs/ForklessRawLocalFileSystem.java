package org.iotpipeline.store.localfs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        FileStatus[] listed = super.listStatus(f);
        if (!POSIX) {
            return listed;
        }
        List<FileStatus> result = new ArrayList<>(listed.length);
        for (FileStatus status : listed) {
            try {
                result.add(withAttributes(status));
            } catch (FileNotFoundException e) {
                // Deleted since it was listed (compaction's cleaner): left out, as Hadoop's own listing does.
            }
        }
        return result.toArray(FileStatus[]::new);
    }

    /** The status with its permission, owner and group read by one stat call instead of {@code ls -ld}. */
    private FileStatus withAttributes(FileStatus status) throws IOException {
        if (!POSIX) {
            return status;
        }
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(pathToFile(status.getPath()).toPath(), PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException("File " + status.getPath() + " does not exist"); // as Hadoop says it
        }
        return new FileStatus(status.getLen(), status.isDirectory(), status.getReplication(), status.getBlockSize(),
                status.getModificationTime(), status.getAccessTime(), new FsPermission((short) mode(attributes.permissions())),
                attributes.owner().getName(), attributes.group().getName(), status.getPath());
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
