package org.iotpipeline.query.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The akka-http client against real sockets: an answer, a refused connection, one that never answers. */
class AkkaHttpFetcherTest {

    /** Far above any answer's time on a loaded machine (the first request also starts akka's client). */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static ActorSystem<Void> system;
    private static HttpServer server;
    private static ServerSocket silent;

    @BeforeAll
    static void start() throws IOException {
        system = ActorSystem.create(Behaviors.empty(), "fetcher-test");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = "gateway_events_accepted_total 3.0\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/broken", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.createContext("/big", exchange -> {
            byte[] body = new byte[10_000];
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        // Accepts connections (the backlog does) and never answers.
        silent = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
        // The first request starts akka's HTTP client (seconds on a busy machine): not part of any timeout below.
        new AkkaHttpFetcher(system, Duration.ofMinutes(1), 1000).get(url(server.getAddress().getPort(), "/metrics"))
                .toCompletableFuture().join();
    }

    @AfterAll
    static void stop() throws IOException {
        server.stop(0);
        silent.close();
        system.terminate();
    }

    private final AkkaHttpFetcher fetcher = new AkkaHttpFetcher(system, TIMEOUT, 1000);

    private static String url(int port, String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Test
    void readsTheBodyOfA200() {
        assertThat(fetcher.get(url(server.getAddress().getPort(), "/metrics")).toCompletableFuture().join())
                .isEqualTo("gateway_events_accepted_total 3.0\n");
    }

    @Test
    void namesWhyThereIsNoAnswer() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = socket.getLocalPort();
        }
        assertReason(url(closed, "/metrics"), "connection refused");
        assertReason(url(server.getAddress().getPort(), "/broken"), "HTTP 503");
        assertReason(url(silent.getLocalPort(), "/metrics"), "no answer within " + TIMEOUT.toMillis() + " ms");
        assertThatThrownBy(() -> fetcher.get(url(server.getAddress().getPort(), "/big")).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(AdminFetcher.FetchFailedException.class);
    }

    private void assertReason(String url, String reason) {
        assertThatThrownBy(() -> fetcher.get(url).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(AdminFetcher.FetchFailedException.class).hasMessage(reason);
    }
}
