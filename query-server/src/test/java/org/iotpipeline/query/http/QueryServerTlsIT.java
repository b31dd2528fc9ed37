package org.iotpipeline.query.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.query.QueryServer;
import org.iotpipeline.query.QueryServerSettings;
import org.iotpipeline.query.testing.TestSpark;
import org.iotpipeline.tls.KeyStoreTls;
import org.iotpipeline.tls.SelfSignedKeyStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query server with {@code http.tls} on, over a real TLS connection: a client that trusts the
 * server's certificate gets answers and the bearer token travels encrypted; a client that does not
 * trust it, or speaks plain HTTP, gets nothing.
 */
class QueryServerTlsIT {

    private static final String PASSWORD = "changeit-" + System.nanoTime();
    private static final String TOKEN = "tls-token";

    @TempDir
    static Path root;

    private static SparkSession spark;
    private static ActorSystem<Void> system;
    private static QueryServer server;
    private static Path keyStore;

    @BeforeAll
    static void start() throws Exception {
        spark = TestSpark.start();
        system = ActorSystem.create(Behaviors.empty(), "query-server-tls-it");
        keyStore = SelfSignedKeyStore.create(root, PASSWORD);
        Map<String, Object> config = new HashMap<>();
        config.put("query-server.host", "127.0.0.1");
        config.put("query-server.port", 0);
        config.put("query-server.auth-token", TOKEN);
        config.put("query-server.store.staging-path", root.resolve("staging").toString());
        config.put("query-server.store.warehouse-path", root.resolve("warehouse").toString());
        config.put("query-server.store.live-path", root.resolve("live").toString());
        config.put("query-server.http.tls.enabled", true);
        config.put("query-server.http.tls.key-store", keyStore.toString());
        config.put("query-server.http.tls.key-store-password", PASSWORD);
        QueryServerSettings settings = QueryServerSettings.from(ConfigFactory.parseMap(config).withFallback(ConfigFactory.load()));
        server = QueryServer.start(settings, spark, system).toCompletableFuture().join();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(5)).toCompletableFuture().join();
        }
        if (system != null) {
            system.terminate();
        }
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void aClientThatTrustsTheCertificateQueriesOverHttps() throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(KeyStoreTls.clientContext(keyStore, PASSWORD.toCharArray()))
                .connectTimeout(Duration.ofSeconds(10)).build();

        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri("https"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "text/plain")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 41 + 1 AS answer")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"answer\":42");
    }

    @Test
    void aClientThatDoesNotTrustItOrSpeaksPlainHttpGetsNothing() {
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(uri("https")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);

        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(uri("http")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }

    private static URI uri(String scheme) {
        return URI.create(scheme + "://127.0.0.1:" + server.address().getPort() + "/query");
    }
}
