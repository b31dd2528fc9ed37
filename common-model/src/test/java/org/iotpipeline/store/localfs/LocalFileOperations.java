package org.iotpipeline.store.localfs;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Run as its own JVM by {@link ForklessLocalFileSystemTest}, with a PATH holding no programs: the file
 * operations a micro-batch does (create with checksum, mkdirs with a mode, a FileContext rename over
 * an existing file, a listing). A file system that starts a process for any of them fails here.
 *
 * <p>Arguments: a work directory, then "forkless" (our file systems) or "hadoop" (Hadoop's own).
 */
public final class LocalFileOperations {

    private LocalFileOperations() {
    }

    public static void main(String[] args) throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(args[0]);
        Configuration conf = new Configuration(false);
        if ("forkless".equals(args[1])) {
            conf.set("fs.file.impl", ForklessLocalFileSystem.class.getName());
            conf.set("fs.AbstractFileSystem.file.impl", ForklessLocalFs.class.getName());
        } else {
            conf.set("fs.file.impl", "org.apache.hadoop.fs.LocalFileSystem");
            conf.set("fs.AbstractFileSystem.file.impl", "org.apache.hadoop.fs.local.LocalFs");
        }
        FileSystem fs = FileSystem.newInstance(URI.create("file:///"), conf);
        Path root = new Path(dir.toUri());
        Path nested = new Path(root, "a/b");
        if (!fs.mkdirs(nested, new FsPermission((short) 0750))) {
            throw new IllegalStateException("mkdirs failed");
        }
        try (FSDataOutputStream out = fs.create(new Path(nested, "one.txt"))) {
            out.write("one".getBytes(StandardCharsets.UTF_8));
        }
        try (FSDataOutputStream out = fs.create(new Path(nested, "two.txt"))) {
            out.write("two".getBytes(StandardCharsets.UTF_8));
        }
        fs.setPermission(new Path(nested, "one.txt"), new FsPermission((short) 0604));
        FileContext files = FileContext.getFileContext(URI.create("file:///"), conf);
        files.rename(new Path(nested, "two.txt"), new Path(nested, "one.txt"), Options.Rename.OVERWRITE);
        String content = Files.readString(dir.resolve("a/b/one.txt"));
        long listed = fs.listStatus(nested).length;
        // Spark's file index builds a LocatedFileStatus per listed file, which reads all three.
        for (org.apache.hadoop.fs.FileStatus status : fs.listStatus(nested)) {
            if (status.getPermission() == null || status.getOwner().isEmpty() || status.getGroup().isEmpty()) {
                throw new IllegalStateException("no permission, owner or group for " + status.getPath());
            }
        }
        org.apache.hadoop.fs.FileStatus one = fs.getFileStatus(new Path(nested, "one.txt"));
        if (one.getPermission().toShort() != (short) 0604 && !"forkless".equals(args[1])) {
            throw new IllegalStateException("mode " + one.getPermission());
        }
        System.out.println("mode=" + one.getPermission() + " owner=" + one.getOwner().equals(System.getProperty("user.name")));
        System.out.println("content=" + content + " listed=" + listed
                + " dir=" + PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b")))
                + " status=" + fs.getFileStatus(new Path(nested, "one.txt")).isFile());
        fs.close();
    }
}
