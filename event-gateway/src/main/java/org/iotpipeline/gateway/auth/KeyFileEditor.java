package org.iotpipeline.gateway.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Adds and revokes keys in a key file, keeping the operator's other lines and comments, and
 * replacing the file atomically so a running gateway reloads either the old or the new version.
 */
public final class KeyFileEditor {

    private final Path file;
    private final SecureRandom random;

    public KeyFileEditor(Path file, SecureRandom random) {
        this.file = Objects.requireNonNull(file, "file is null");
        this.random = Objects.requireNonNull(random, "random is null");
    }

    /**
     * Adds a key with a new secret (the file is created if missing).
     *
     * @return the token {@code <key id>.<secret>}: the only time the secret exists outside the client
     * @throws KeyFileException if the file is not valid or already has this id
     */
    public String add(String keyId, DeviceRanges devices) throws KeyFileException, IOException {
        List<String> lines = new ArrayList<>(Files.exists(file) ? ApiKeyFile.readLines(file) : List.of());
        ApiKeys existing = ApiKeyFile.parse(lines, file.toString());
        if (existing.find(keyId).isPresent()) {
            throw new KeyFileException("key id " + keyId + " is already in " + file + "; revoke it first or pick another id");
        }
        String secret = KeyHashing.newSecret(random);
        ApiKey key = new ApiKey(keyId, KeyHashing.hash(keyId, secret), devices);
        lines.add(ApiKeyFile.line(key));
        ApiKeyFile.parse(lines, file.toString()); // the result must read back
        ApiKeyFile.writeLines(file, lines);
        return keyId + "." + secret;
    }

    /**
     * Removes the key with this id.
     *
     * @return whether it was there
     */
    public boolean revoke(String keyId) throws KeyFileException, IOException {
        List<String> lines = ApiKeyFile.readLines(file);
        ApiKeyFile.parse(lines, file.toString());
        List<String> kept = lines.stream().filter(line -> !line.strip().startsWith(keyId + ":")).toList();
        if (kept.size() == lines.size()) {
            return false;
        }
        ApiKeyFile.writeLines(file, kept);
        return true;
    }

    /** The keys in the file. */
    public ApiKeys list() throws KeyFileException {
        return ApiKeyFile.read(file);
    }
}
