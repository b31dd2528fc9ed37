package org.iotpipeline.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.iotpipeline.gateway.metrics.GatewayMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileWatcherTest {

    @TempDir
    Path directory;
    private final GatewayMetrics metrics = new GatewayMetrics();

    @AfterEach
    void closeMetrics() {
        metrics.close();
    }

    @Test
    void appliesAChangedFileAndKeepsTheLastGoodKeysWhenItBreaks() throws Exception {
        Path file = directory.resolve("keys");
        KeyFileEditor editor = new KeyFileEditor(file, new SecureRandom());
        editor.add("a", DeviceRanges.parse("1"));
        KeyFileWatcher watcher = KeyFileWatcher.start(file, metrics);
        assertThat(watcher.get().size()).isEqualTo(1);

        watcher.check();
        assertThat(metrics.scrape()).contains("gateway_api_key_reloads_total{outcome=\"applied\"} 0.0");

        editor.add("b", DeviceRanges.parse("2"));
        watcher.check();
        assertThat(watcher.get().find("b")).isPresent();

        Files.writeString(file, "broken\n", StandardCharsets.UTF_8);
        watcher.check();
        assertThat(watcher.get().size()).as("last good keys").isEqualTo(2);

        Files.delete(file);
        watcher.check();
        assertThat(watcher.get().size()).isEqualTo(2);
        assertThat(metrics.scrape())
                .contains("gateway_api_key_reloads_total{outcome=\"applied\"} 1.0")
                .contains("gateway_api_key_reloads_total{outcome=\"failed\"} 2.0")
                .contains("gateway_api_keys 2.0");

        editor.add("c", DeviceRanges.parse("3"));
        watcher.check();
        assertThat(watcher.get().all()).extracting(ApiKey::id).containsExactly("c");
    }

    @Test
    void doesNotStartWithoutAValidFile() {
        assertThatThrownBy(() -> KeyFileWatcher.start(directory.resolve("none"), metrics))
                .isInstanceOf(KeyFileException.class).hasMessageContaining("none");
    }
}
