package org.iotpipeline.store.localfs;

import static org.assertj.core.api.Assertions.assertThat;

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
