package org.iotpipeline.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.iotpipeline.gateway.auth.DeviceRanges;
import org.iotpipeline.gateway.auth.KeyFileEditor;
import org.iotpipeline.kafka.KafkaBrokerExtension;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.iotpipeline.tls.KeyStoreTls;
import org.iotpipeline.tls.SelfSignedKeyStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as it should face a network: HTTPS from a PKCS12 key store and API keys, over real
 * TLS connections from the JDK's HTTP client (issue 13, item 7).
 */
class GatewayTlsIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final String TOPIC = "tls-events";
    private static final String PASSWORD = "test-store-password";
    private static final EventCodec CODEC = EventCodec.withDefaults();
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final Duration TRICKLE = Duration.ofMillis(100);

    @TempDir
    static Path directory;
    private static Path keyStore;
    private static String token;
    private static RunningGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        kafka.broker().createTopic(TOPIC, 1);
        keyStore = SelfSignedKeyStore.create(directory, PASSWORD);
        Path keys = directory.resolve("gateway-keys");
        token = new KeyFileEditor(keys, new SecureRandom()).add("tls-fleet", DeviceRanges.parse("0-99"));
        gateway = RunningGateway.start(kafka.bootstrapServers(), TOPIC, """
                event-gateway {
                  request-header-timeout = 2s
                  body-read-timeout = 2s
                  tls { enabled = on, key-store = "%s", key-store-password = "%s" }
                  auth { enabled = on, keys-file = "%s" }
                }
                """.formatted(keyStore, PASSWORD, keys));
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static HttpClient client(SSLContext ssl) {
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpRequest post(String scheme, Event event) {
        return HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + gateway.port() + "/events"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(CODEC.encode(event)))
                .build();
    }

    @Test
    void eventsPostedOverHttpsWithAKeyReachKafka() throws Exception {
        Event event = new Event(7, 1, System.currentTimeMillis(), 12.5);
        HttpClient trusting = client(KeyStoreTls.clientContext(keyStore, PASSWORD.toCharArray()));

        HttpResponse<String> answer = trusting.send(post("https", event), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(answer.sslSession()).hasValueSatisfying(session -> assertThat(session.getProtocol()).startsWith("TLS"));
        assertThat(TopicReader.readAll(kafka.bootstrapServers(), TOPIC)).extracting(ConsumerRecord::value)
                .contains(CODEC.encodeToString(event));
        HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + gateway.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateAndPlainHttpAreRefused() throws Exception {
        Event event = new Event(8, 1, System.currentTimeMillis(), 1.5);
        HttpClient defaultTrust = client(SSLContext.getDefault());

        assertThatThrownBy(() -> defaultTrust.send(post("https", event), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> client(SSLContext.getDefault()).send(post("http", event), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void afterTheHandshakeTrickledHeadersAndIdleKeepAliveAreCutOffAsOverHttp() throws Exception {
        SSLContext trust = KeyStoreTls.clientContext(keyStore, PASSWORD.toCharArray());
        try (RawConnection trickler = RawConnection.openTls(gateway.port(), trust)) {
            trickler.sendThenTrickle("POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", "abcdefgh", TRICKLE);

            assertThat(trickler.closedByServer().get(WITHIN.toSeconds(), TimeUnit.SECONDS)).isEmpty();
        }
        String body = new String(CODEC.encode(new Event(9, 1, System.currentTimeMillis(), 1.5)), StandardCharsets.ISO_8859_1);
        try (RawConnection idle = RawConnection.openTls(gateway.port(), trust)) {
            idle.send("POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);

            assertThat(idle.closedByServer().get(WITHIN.toSeconds(), TimeUnit.SECONDS)).startsWith("HTTP/1.1 202 Accepted");
        }
    }

    @Test
    void aHandshakeTrickledByteByByteIsCutOff() throws Exception {
        try (RawConnection trickler = RawConnection.open(gateway.port())) {
            // A TLS handshake record announcing 512 bytes of ClientHello, which then come one at a time.
            trickler.sendThenTrickle("\u0016\u0003\u0001\u0002\u0000\u0001", "\u0000", TRICKLE);

            assertThat(trickler.closedByServer().get(WITHIN.toSeconds(), TimeUnit.SECONDS)).isEmpty();
            assertThat(trickler.stillTrickling()).as("cut off while still sending").isTrue();
        }
    }

    @Test
    void aConnectionThatNeverStartsTheHandshakeIsClosedByTheIdleTimeout() throws Exception {
        // Idle timeout here: body-read 2s + send 10s + 5s + header 2s = 19s (60s is akka's default).
        try (RawConnection silent = RawConnection.open(gateway.port())) {
            assertThat(silent.closedByServer().get(45, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void aWrongKeyStorePasswordStopsTheStartNamingTheFile() {
        assertThatThrownBy(() -> RunningGateway.start(kafka.bootstrapServers(), TOPIC, """
                event-gateway.tls { enabled = on, key-store = "%s", key-store-password = "wrong" }
                """.formatted(keyStore)).close())
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(java.security.UnrecoverableKeyException.class)
                .hasMessageContaining(keyStore.getFileName().toString());
    }
}
