package org.iotpipeline.gateway.it;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.iotpipeline.gateway.GatewayServer;
import org.iotpipeline.gateway.GatewaySettings;

/**
 * The whole gateway as {@code GatewayMain} runs it (same wiring, real Kafka producer), bound to a
 * free port in this JVM, with a plain JDK HTTP client to talk to it over the socket.
 */
final class RunningGateway implements AutoCloseable {

    private final ActorSystem<Void> system;
    private final ServerBinding binding;
    private final GatewaySettings settings;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningGateway(ActorSystem<Void> system, ServerBinding binding, GatewaySettings settings) {
        this.system = system;
        this.binding = binding;
        this.settings = settings;
    }

    /** Starts a gateway writing to {@code topic} on {@code bootstrapServers}; {@code hocon} overrides any key. */
    static RunningGateway start(String bootstrapServers, String topic, String hocon) throws Exception {
        Config config = ConfigFactory.parseString(hocon)
                .withFallback(ConfigFactory.parseMap(Map.of(
                        "event-gateway.port", 0,
                        "event-gateway.kafka.bootstrap-servers", bootstrapServers,
                        "event-gateway.kafka.topic", topic)))
                .withFallback(ConfigFactory.load())
                .resolve();
        GatewaySettings settings = GatewaySettings.from(config);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "gateway-it",
                settings.akkaOverrides().withFallback(config));
        try {
            ServerBinding binding = GatewayServer.start(system, settings).toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new RunningGateway(system, binding, settings);
        } catch (Exception e) {
            system.terminate();
            throw e;
        }
    }

    GatewaySettings settings() {
        return settings;
    }

    int port() {
        return binding.localAddress().getPort();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path);
    }

    HttpResponse<String> post(String contentType, byte[] body, String... headers) throws IOException, InterruptedException {
        return client.send(postRequest(contentType, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> postAsync(String contentType, byte[] body, String... headers) {
        return client.sendAsync(postRequest(contentType, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the gauge gateway_events_in_flight says now. */
    double eventsInFlight() throws IOException, InterruptedException {
        return get("/metrics").body().lines()
                .filter(line -> line.startsWith("gateway_events_in_flight "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
                .findFirst().orElseThrow();
    }

    /** Runs the same shutdown SIGTERM runs (akka CoordinatedShutdown). */
    CompletionStage<Done> shutdown() {
        return CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.jvmExitReason());
    }

    private HttpRequest postRequest(String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/events"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.build();
    }

    @Override
    public void close() throws Exception {
        shutdown().toCompletableFuture().get(60, TimeUnit.SECONDS);
        system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
