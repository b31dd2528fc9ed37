package org.iotpipeline.store.localfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForklessLocalFileSystemTest {

    @TempDir
    Path dir;

    @Test
    void modesMapToPosixPermissions() {
        assertThat(PosixFilePermissions.toString(ForklessRawLocalFileSystem.posix(0644))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(ForklessRawLocalFileSystem.posix(0750))).isEqualTo("rwxr-x---");
        assertThat(PosixFilePermissions.toString(ForklessRawLocalFileSystem.posix(0007))).isEqualTo("------rwx");
        assertThat(ForklessRawLocalFileSystem.mode(ForklessRawLocalFileSystem.posix(0751))).isEqualTo(0751);
    }

    /** The control: Hadoop's own local file system needs programs (chmod, readlink) and fails without them. */
    @Test
    void hadoopsOwnLocalFileSystemStartsProcesses() throws Exception {
        Run run = runWithoutPrograms("hadoop");
        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("Cannot run program");
    }

    @Test
    void theSameOperationsNeedNoProcess() throws Exception {
        Run run = runWithoutPrograms("forkless");
        assertThat(run.exitCode()).as(run.output()).isZero();
        // The rename replaced the file, the mode was applied, listing and status work.
        assertThat(run.output()).contains("content=two listed=1 dir=rwxr-x--- status=true");
        // The renamed file kept its own mode (0644 by default umask 022), and the owner is read.
        assertThat(run.output()).contains("owner=true");
        assertThat(run.output()).containsPattern("mode=rw-r--r--|mode=rw-.*");
    }

    @Test
    void listingsEqualHadoopsOwn() throws Exception {
        Path listed = Files.createDirectories(dir.resolve("hour=1"));
        Files.writeString(listed.resolve("part-0.parquet"), "data");
        Files.setPosixFilePermissions(listed.resolve("part-0.parquet"), PosixFilePermissions.fromString("rw-r-----"));
        Files.writeString(listed.resolve("a:b.json"), "{}");
        Files.setPosixFilePermissions(Files.createDirectories(listed.resolve("_temporary")),
                PosixFilePermissions.fromString("rwxr-x---"));
        run("chmod", "1777", Files.createDirectories(listed.resolve("shared")).toString()); // sticky, as /tmp
        // Entries that cannot be stat'ed are left out, not a failed listing: a link loop, a dangling link.
        Files.createSymbolicLink(listed.resolve("loop-a"), listed.resolve("loop-b"));
        Files.createSymbolicLink(listed.resolve("loop-b"), listed.resolve("loop-a"));
        Files.createSymbolicLink(listed.resolve("dangling"), listed.resolve("gone"));
        // A FIFO listed by its path: its status, without opening it (which would block).
        Path fifo = listed.resolve("fifo");
        run("mkfifo", fifo.toString());
        org.apache.hadoop.fs.Path hadoopDir = new org.apache.hadoop.fs.Path(listed.toUri());
        ForklessRawLocalFileSystem ours = new ForklessRawLocalFileSystem();
        ours.initialize(java.net.URI.create("file:///"), new org.apache.hadoop.conf.Configuration());
        org.apache.hadoop.fs.RawLocalFileSystem hadoops = new org.apache.hadoop.fs.RawLocalFileSystem(); // runs ls
        hadoops.initialize(java.net.URI.create("file:///"), new org.apache.hadoop.conf.Configuration());

        for (int round = 0; round < 2; round++) { // the second from the cached owner and group names
            assertThat(describe(ours.listStatus(hadoopDir))).hasSize(5).isEqualTo(describe(hadoops.listStatus(hadoopDir)));
        }
        org.apache.hadoop.fs.Path fifoPath = new org.apache.hadoop.fs.Path(hadoopDir, "fifo");
        List<String> fifoListing = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofMinutes(1), () -> describe(ours.listStatus(fifoPath)));
        assertThat(fifoListing).isEqualTo(describe(hadoops.listStatus(fifoPath)));
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(hadoopDir, "part-0.parquet");
        assertThat(describe(ours.listStatus(file))).isEqualTo(describe(hadoops.listStatus(file)));
        org.apache.hadoop.fs.Path missing = new org.apache.hadoop.fs.Path(hadoopDir, "missing");
        assertThatThrownBy(() -> ours.listStatus(missing)).isInstanceOf(java.io.FileNotFoundException.class);
        assertThatThrownBy(() -> hadoops.listStatus(missing)).isInstanceOf(java.io.FileNotFoundException.class);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static List<String> describe(org.apache.hadoop.fs.FileStatus[] statuses) {
        return java.util.Arrays.stream(statuses)
                .map(s -> String.join(" ", s.getPath().toString(), Long.toString(s.getLen()), Boolean.toString(s.isDirectory()),
                        Long.toString(s.getModificationTime()), s.getPermission().toString(), s.getOwner(), s.getGroup(),
                        Long.toString(s.getBlockSize()), Short.toString(s.getReplication())))
                .sorted().toList();
    }

    private Run runWithoutPrograms(String which) throws IOException, InterruptedException {
        Path work = Files.createDirectories(dir.resolve(which));
        Path emptyBin = Files.createDirectories(dir.resolve("empty-bin"));
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                LocalFileOperations.class.getName(), work.toString(), which))
                .redirectErrorStream(true);
        builder.environment().put("PATH", emptyBin.toString());
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the file operations did not end within 2 minutes");
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String output) {
    }
}
