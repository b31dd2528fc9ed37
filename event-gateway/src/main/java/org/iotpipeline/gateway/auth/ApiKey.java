package org.iotpipeline.gateway.auth;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;
import org.iotpipeline.gateway.ingest.DeviceScope;

/**
 * One API key as the gateway stores it: its public id, the SHA-256 of the token (never the
 * secret), and the devices it may write for.
 *
 * @param id      public name of the key, {@code [A-Za-z0-9_-]{1,64}}; the token is {@code <id>.<secret>}
 * @param hash    SHA-256 of the whole token ({@link KeyHashing#hash(String, String)}), 32 bytes
 * @param devices the devices whose events the key may send
 */
public record ApiKey(String id, byte[] hash, DeviceRanges devices) implements DeviceScope {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public ApiKey {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(hash, "hash is null");
        Objects.requireNonNull(devices, "devices is null");
        if (!isValidId(id)) {
            throw new IllegalArgumentException("key id \"" + id + "\" must be 1 to 64 of A-Z a-z 0-9 _ -");
        }
        if (hash.length != KeyHashing.HASH_BYTES) {
            throw new IllegalArgumentException("key " + id + ": the hash must be " + KeyHashing.HASH_BYTES
                    + " bytes (SHA-256), got " + hash.length);
        }
        hash = hash.clone();
    }

    public static boolean isValidId(String id) {
        return ID.matcher(id).matches();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /** Whether {@code secret} is this key's secret; constant time in the secret's content. */
    public boolean matches(String secret) {
        return KeyHashing.matches(hash, id, secret);
    }

    @Override
    public boolean permits(int deviceId) {
        return devices.contains(deviceId);
    }

    @Override
    public String describe() {
        return "key " + id + " (devices " + devices + ")";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiKey key && id.equals(key.id) && Arrays.equals(hash, key.hash)
                && devices.equals(key.devices);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, Arrays.hashCode(hash), devices);
    }

    @Override
    public String toString() {
        return "ApiKey[id=" + id + ", devices=" + devices + "]";
    }
}
