package org.iotpipeline.generator.delivery;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the generator gets through a gateway that asks for credentials and speaks HTTPS.
 *
 * @param apiKey     the token {@code <key id>.<secret>} sent as {@code Authorization: Bearer}, if any
 * @param trustStore a PKCS12 store of the certificates to trust for https URLs instead of the JVM's default
 */
public record GatewayAccess(Optional<String> apiKey, Optional<TrustStore> trustStore) {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,64}\\.[A-Za-z0-9_-]+");

    /** A trust store and its password. */
    public record TrustStore(Path path, String password) {

        public TrustStore {
            Objects.requireNonNull(path, "path is null");
            Objects.requireNonNull(password, "password is null");
        }

        @Override
        public String toString() {
            return "TrustStore[path=" + path + ", password=***]";
        }
    }

    /** No key, the JVM's default trust. */
    public static final GatewayAccess NONE = new GatewayAccess(Optional.empty(), Optional.empty());

    public GatewayAccess {
        Objects.requireNonNull(apiKey, "apiKey is null");
        Objects.requireNonNull(trustStore, "trustStore is null");
        if (apiKey.isPresent() && !TOKEN.matcher(apiKey.get()).matches()) {
            // The value is not echoed: it is a secret.
            throw new IllegalArgumentException("must be the gateway's token <key id>.<secret> (letters, digits, _ and -)");
        }
    }

    @Override
    public String toString() {
        return "GatewayAccess[apiKey=" + (apiKey.isPresent() ? "***" : "none") + ", trustStore=" + trustStore + "]";
    }
}
