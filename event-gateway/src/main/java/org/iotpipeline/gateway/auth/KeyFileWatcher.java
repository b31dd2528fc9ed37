package org.iotpipeline.gateway.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.iotpipeline.gateway.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys in force, from the key file, reloaded without a restart: {@link #check()} (called on a
 * schedule) re-reads the file when its modification time, size or identity changed. A file that no
 * longer reads or parses keeps the last good keys in force and is logged as an ERROR once per
 * version, so a typo never locks every device out.
 */
public final class KeyFileWatcher implements Supplier<ApiKeys> {

    private static final Logger log = LoggerFactory.getLogger(KeyFileWatcher.class);

    /** What identifies one version of the file; the file key changes when a rename replaces it. */
    private record Stamp(FileTime modified, long size, Object fileKey) {
    }

    private final Path file;
    private final GatewayMetrics metrics;
    private final AtomicReference<ApiKeys> current;
    private volatile Optional<Stamp> seen;

    private KeyFileWatcher(Path file, GatewayMetrics metrics, ApiKeys initial, Optional<Stamp> stamp) {
        this.file = file;
        this.metrics = metrics;
        this.current = new AtomicReference<>(initial);
        this.seen = stamp;
    }

    /**
     * Reads the file once; the gateway does not start without valid keys.
     *
     * @throws KeyFileException if the file cannot be read or is not valid
     */
    public static KeyFileWatcher start(Path file, GatewayMetrics metrics) throws KeyFileException {
        Objects.requireNonNull(file, "file is null");
        Objects.requireNonNull(metrics, "metrics is null");
        Optional<Stamp> stamp = stamp(file);
        ApiKeys keys = ApiKeyFile.read(file);
        KeyFileWatcher watcher = new KeyFileWatcher(file, metrics, keys, stamp);
        metrics.bindApiKeys(() -> watcher.get().size());
        log.info("API keys: {} keys from {}", keys.size(), file.toAbsolutePath());
        return watcher;
    }

    @Override
    public ApiKeys get() {
        return current.get();
    }

    /** Reloads the file if it changed since the last look. Never throws. */
    public void check() {
        Optional<Stamp> now = stamp(file);
        if (now.equals(seen)) {
            return;
        }
        // The stamp is taken before reading: a write that ends after the read changes it again.
        seen = now;
        try {
            ApiKeys keys = ApiKeyFile.read(file);
            current.set(keys);
            metrics.apiKeysReloaded(true);
            log.info("API keys reloaded: {} keys from {}", keys.size(), file.toAbsolutePath());
        } catch (KeyFileException e) {
            metrics.apiKeysReloaded(false);
            log.error("API key file NOT applied, the previous {} keys stay in force until it is fixed: {}",
                    current.get().size(), e.getMessage());
        } catch (RuntimeException e) {
            // Caught so the schedule goes on: akka stops a repeated task whose run throws.
            metrics.apiKeysReloaded(false);
            log.error("API key file NOT applied, the previous {} keys stay in force", current.get().size(), e);
        }
    }

    private static Optional<Stamp> stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return Optional.of(new Stamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey()));
        } catch (IOException e) {
            return Optional.empty(); // missing or unreadable: reading it reports why
        }
    }
}
