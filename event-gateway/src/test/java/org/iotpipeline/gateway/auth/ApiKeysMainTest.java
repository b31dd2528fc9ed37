package org.iotpipeline.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysMainTest {

    @TempDir
    Path directory;

    private record Run(int exitCode, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ApiKeysMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void addPrintsTheTokenOnceListShowsIdsAndRevokeRemoves() throws Exception {
        Path file = directory.resolve("config").resolve("gateway-keys");

        Run added = run("add", "fleet-a", "0-99", "--file", file.toString());

        assertThat(added.exitCode()).isZero();
        String token = added.out().strip();
        assertThat(token).matches("fleet-a\\.[A-Za-z0-9_-]{43}");
        assertThat(added.err()).contains("shown once");
        assertThat(Files.readString(file)).doesNotContain(token.substring(8));
        assertThat(run("list", "--file", file.toString()).out()).isEqualTo("fleet-a 0-99" + System.lineSeparator());
        assertThat(run("revoke", "fleet-a", "--file", file.toString()).exitCode()).isZero();
        assertThat(run("revoke", "fleet-a", "--file", file.toString()).exitCode()).isEqualTo(ApiKeysMain.EXIT_ERROR);
        assertThat(run("list", "--file", file.toString()).out()).isEmpty();
    }

    @Test
    void wrongUsageSaysHow() {
        Path file = directory.resolve("keys");
        assertThat(run().exitCode()).isEqualTo(ApiKeysMain.EXIT_USAGE);
        assertThat(run("add", "x", "--file", file.toString()).err()).contains("usage:");
        assertThat(run("add", "x y", "1", "--file", file.toString()).err()).contains("key id");
        assertThat(run("add", "x", "nope", "--file", file.toString()).exitCode()).isEqualTo(ApiKeysMain.EXIT_USAGE);
        assertThat(run("list", "--file", file.toString()).exitCode()).isEqualTo(ApiKeysMain.EXIT_ERROR);
    }
}
