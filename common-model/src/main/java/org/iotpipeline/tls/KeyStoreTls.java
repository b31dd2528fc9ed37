package org.iotpipeline.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts from PKCS12 key stores, for any service's HTTPS (no HTTP library involved: akka-http
 * wraps the result with {@code ConnectionContext.httpsServer(sslContext)} /
 * {@code httpsClient(sslContext)}). The JDK's default protocols and cipher suites apply (TLS 1.3
 * and 1.2 on Java 17).
 */
public final class KeyStoreTls {

    private static final String TYPE = "PKCS12";

    private KeyStoreTls() {
    }

    /**
     * A server context presenting the private key and certificate chain of {@code keyStore}.
     *
     * @param password the store's password, also the key's (keytool's PKCS12 default)
     * @throws IllegalArgumentException naming the file if it cannot be read, the password is wrong,
     *                                  or it holds no private key
     */
    public static SSLContext serverContext(Path keyStore, char[] password) {
        KeyStore store = load(keyStore, password);
        try {
            if (Collections.list(store.aliases()).stream().noneMatch(alias -> isKeyEntry(store, alias))) {
                throw new IllegalArgumentException("TLS key store " + keyStore.toAbsolutePath()
                        + " holds no private key; a server needs its key and certificate chain");
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use TLS key store " + keyStore.toAbsolutePath() + ": " + e, e);
        }
    }

    /**
     * A client context that trusts the certificates in {@code trustStore} (and only those), e.g.
     * a self-signed server certificate. Host names are still verified by the HTTP client.
     *
     * @throws IllegalArgumentException naming the file if it cannot be read or the password is wrong
     */
    public static SSLContext clientContext(Path trustStore, char[] password) {
        KeyStore store = load(trustStore, password);
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use TLS trust store " + trustStore.toAbsolutePath() + ": " + e, e);
        }
    }

    private static KeyStore load(Path path, char[] password) {
        Objects.requireNonNull(path, "path is null");
        Objects.requireNonNull(password, "password is null");
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(TYPE);
            store.load(in, password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            // A wrong password surfaces as an IOException whose cause is an UnrecoverableKeyException.
            throw new IllegalArgumentException("cannot load the " + TYPE + " store " + path.toAbsolutePath()
                    + " (missing, not PKCS12, or wrong password): " + e, e);
        }
    }

    private static boolean isKeyEntry(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the loaded key store cannot list entry " + alias, e);
        }
    }
}
