package org.iotpipeline.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key stores made by the JDK's keytool; handshakes between two in-memory SSLEngines. */
class KeyStoreTlsTest {

    private static final char[] PASSWORD = "store-password".toCharArray();

    @TempDir
    static Path directory;
    private static Path keyStore;
    private static Path trustStore;

    @BeforeAll
    static void makeStores() throws Exception {
        keyStore = directory.resolve("server.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
        Path certificate = directory.resolve("server.crt");
        keytool("-exportcert", "-alias", "server", "-keystore", keyStore.toString(), "-storepass", new String(PASSWORD),
                "-file", certificate.toString());
        trustStore = directory.resolve("trust.p12");
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", new String(PASSWORD));
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }

    @Test
    void aServerAndAClientTrustingItsCertificateShakeHands() throws Exception {
        SSLEngine server = KeyStoreTls.serverContext(keyStore, PASSWORD).createSSLEngine();
        server.setUseClientMode(false);

        assertThat(handshake(KeyStoreTls.clientContext(trustStore, PASSWORD), server)).isTrue();
    }

    @Test
    void storesThatCannotServeAreRefusedNamingTheFile() {
        assertThatThrownBy(() -> KeyStoreTls.serverContext(keyStore, "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server.p12")
                .hasMessageContaining("wrong password");
        assertThatThrownBy(() -> KeyStoreTls.serverContext(trustStore, PASSWORD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no private key");
        assertThatThrownBy(() -> KeyStoreTls.serverContext(directory.resolve("missing.p12"), PASSWORD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.p12");
    }

    @Test
    void aHandshakeWithinTheDeadlineCompletesAndOnePastItIsRefused() throws Exception {
        SSLContext serverContext = KeyStoreTls.serverContext(keyStore, PASSWORD);
        SSLContext clientContext = KeyStoreTls.clientContext(trustStore, PASSWORD);
        AtomicLong now = new AtomicLong();

        SSLEngine inTime = deadlineEngine(serverContext, now);
        assertThat(handshake(clientContext, inTime)).isTrue();
        now.addAndGet(Duration.ofHours(1).toNanos());
        assertThat(handshake(clientContext, deadlineEngine(serverContext, now))).as("a fresh one has its own deadline").isTrue();

        SSLEngine late = deadlineEngine(serverContext, now);
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThatThrownBy(() -> handshake(clientContext, late)).isInstanceOf(SSLException.class)
                .hasMessageContaining("not completed within PT10S");
    }

    private static SSLEngine deadlineEngine(SSLContext context, AtomicLong now) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        return new HandshakeDeadlineEngine(engine, Duration.ofSeconds(10), now::get);
    }

    /** Runs a handshake between a client of {@code clientContext} and {@code server} in memory. */
    private static boolean handshake(SSLContext clientContext, SSLEngine server) throws SSLException {
        SSLEngine client = clientContext.createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        javax.net.ssl.SSLParameters parameters = client.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        client.setSSLParameters(parameters);
        int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(size * 4);
        ByteBuffer toClient = ByteBuffer.allocate(size * 4);
        ByteBuffer empty = ByteBuffer.allocate(0);
        ByteBuffer sink = ByteBuffer.allocate(size * 4);
        client.beginHandshake();
        server.beginHandshake();
        for (int step = 0; step < 100; step++) {
            if (done(client) && done(server)) {
                return true;
            }
            step(client, empty, toServer, toClient, sink);
            step(server, empty, toClient, toServer, sink);
        }
        return false;
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine engine, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer sink)
            throws SSLException {
        switch (engine.getHandshakeStatus()) {
            case NEED_WRAP -> engine.wrap(empty, out);
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                engine.unwrap(in, sink);
                in.compact();
                sink.clear();
            }
            case NEED_TASK -> {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            }
            default -> { }
        }
    }
}
