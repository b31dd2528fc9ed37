package org.iotpipeline.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PKCS12 key store with a fresh self-signed certificate for 127.0.0.1 and localhost, made by the
 * JDK's keytool: for tests and trying HTTPS on a laptop, never for a deployment (clients cannot
 * tell it from an attacker's certificate unless they pin it).
 */
public final class SelfSignedKeyStore {

    private SelfSignedKeyStore() {
    }

    /** Creates {@code <directory>/self-signed.p12}, valid for two days, and returns its path. */
    public static Path create(Path directory, String password) throws IOException, InterruptedException {
        Path store = directory.resolve("self-signed.p12");
        Process keytool = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password, "-keypass", password))
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        return store;
    }
}
