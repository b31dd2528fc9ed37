package org.iotpipeline.query.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.iotpipeline.config.SettingChecks;
import org.iotpipeline.tls.HandshakeDeadlineEngine;
import org.iotpipeline.tls.KeyStoreTls;

/**
 * HTTPS of the listener ({@code query-server.http.tls}): off by default (the server binds
 * 127.0.0.1); on, it serves only HTTPS with the certificate and key of a PKCS12 key store.
 *
 * @param enabled          serve HTTPS instead of HTTP
 * @param keyStore         PKCS12 key store holding the server's key and certificate chain
 * @param keyStorePassword its password
 * @param handshakeTimeout a client that has not completed the TLS handshake by then is cut off
 */
public record TlsSettings(boolean enabled, String keyStore, String keyStorePassword, Duration handshakeTimeout) {

    public static final TlsSettings OFF = new TlsSettings(false, "", "", Duration.ofSeconds(10));

    public TlsSettings {
        Objects.requireNonNull(keyStore, "keyStore is null");
        Objects.requireNonNull(keyStorePassword, "keyStorePassword is null");
        if (enabled && keyStore.isBlank()) {
            throw SettingChecks.invalid("query-server.http.tls.key-store", "must name a PKCS12 key store when"
                    + " query-server.http.tls.enabled is on");
        }
        SettingChecks.positive("query-server.http.tls.handshake-timeout", handshakeTimeout);
    }

    /** A fresh server-side engine per connection, or empty when HTTPS is off. Loads the key store once. */
    public Optional<Supplier<SSLEngine>> engines() {
        if (!enabled) {
            return Optional.empty();
        }
        SSLContext context = KeyStoreTls.serverContext(Path.of(keyStore), keyStorePassword.toCharArray());
        return Optional.of(() -> HandshakeDeadlineEngine.server(context, handshakeTimeout));
    }
}
