package org.iotpipeline.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyFileTest {

    private static final String HASH = KeyHashing.encode(KeyHashing.hash("fleet-a", "secret"));

    @TempDir
    Path directory;

    @Test
    void readsKeysSkippingCommentsAndBlankLines() throws Exception {
        ApiKeys keys = ApiKeyFile.parse(List.of("# the fleet", "", "fleet-a:sha256:" + HASH + ":0-99,150",
                "  device_5 : sha256 : " + HASH + " : 5  "), "test");

        assertThat(keys.size()).isEqualTo(2);
        ApiKey fleet = keys.find("fleet-a").orElseThrow();
        assertThat(fleet.devices()).isEqualTo(DeviceRanges.parse("0-99,150"));
        assertThat(fleet.matches("secret")).isTrue();
        assertThat(fleet.matches("secreT")).isFalse();
        assertThat(keys.find("device_5").orElseThrow().devices().toString()).isEqualTo("5");
        assertThat(keys.find("nobody")).isEmpty();
    }

    @Test
    void aBadLineFailsTheWholeFileNamingTheLine() {
        assertThatThrownBy(() -> ApiKeyFile.parse(List.of("# ok", "a:sha256:" + HASH + ":1", "b:sha256:" + HASH), "keys"))
                .isInstanceOf(KeyFileException.class).hasMessageStartingWith("keys line 3: expected");
        assertThatThrownBy(() -> ApiKeyFile.parse(List.of("a:md5:" + HASH + ":1"), "keys"))
                .hasMessageContaining("line 1").hasMessageContaining("unknown hash algorithm \"md5\"");
        assertThatThrownBy(() -> ApiKeyFile.parse(List.of("a:sha256:not*base64:1"), "keys"))
                .hasMessageContaining("not base64url");
        assertThatThrownBy(() -> ApiKeyFile.parse(List.of("a:sha256:AAAA:1"), "keys"))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> ApiKeyFile.parse(List.of("a.b:sha256:" + HASH + ":1"), "keys"))
                .hasMessageContaining("key id \"a.b\"");
        assertThatThrownBy(() -> ApiKeyFile.parse(List.of("a:sha256:" + HASH + ":x"), "keys"))
                .hasMessageContaining("device ids");
        assertThatThrownBy(() -> ApiKeyFile.parse(List.of("a:sha256:" + HASH + ":1", "a:sha256:" + HASH + ":2"), "keys"))
                .hasMessageContaining("key id a appears more than once");
    }

    @Test
    void theEditorAddsAKeyWhoseTokenMatchesAndStoresOnlyItsHash() throws Exception {
        Path file = directory.resolve("keys");
        Files.writeString(file, "# operator's note\n", StandardCharsets.UTF_8);
        KeyFileEditor editor = new KeyFileEditor(file, new SecureRandom());

        String token = editor.add("fleet-a", DeviceRanges.parse("0-9"));

        String secret = token.substring("fleet-a.".length());
        assertThat(token).startsWith("fleet-a.");
        assertThat(secret).hasSize(43).matches("[A-Za-z0-9_-]+");
        String content = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(content).startsWith("# operator's note\n").doesNotContain(secret);
        assertThat(ApiKeyFile.read(file).find("fleet-a").orElseThrow().matches(secret)).isTrue();
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void theEditorRefusesADuplicateIdAndRevokesByIdKeepingTheRest() throws Exception {
        Path file = directory.resolve("keys");
        KeyFileEditor editor = new KeyFileEditor(file, new SecureRandom());
        editor.add("a", DeviceRanges.parse("1"));
        editor.add("ab", DeviceRanges.parse("2"));

        assertThatThrownBy(() -> editor.add("a", DeviceRanges.parse("3"))).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("already");
        assertThat(editor.revoke("a")).isTrue();
        assertThat(editor.revoke("a")).isFalse();
        assertThat(editor.list().all()).extracting(ApiKey::id).containsExactly("ab");
    }

    @Test
    void twoSecretsAreNeverTheSame() {
        SecureRandom random = new SecureRandom();
        assertThat(KeyHashing.newSecret(random)).isNotEqualTo(KeyHashing.newSecret(random));
    }
}
