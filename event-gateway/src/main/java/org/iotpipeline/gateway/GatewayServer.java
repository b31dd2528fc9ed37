package org.iotpipeline.gateway;

import akka.Done;
import akka.NotUsed;
import akka.actor.Cancellable;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.Http;
import akka.http.javadsl.HttpsConnectionContext;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.ServerBuilder;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.settings.ServerSettings;
import akka.japi.function.Function;
import akka.stream.javadsl.Flow;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import org.apache.kafka.clients.producer.Producer;
import org.iotpipeline.gateway.auth.ApiKeyAuthenticator;
import org.iotpipeline.gateway.auth.KeyFileException;
import org.iotpipeline.gateway.auth.KeyFileWatcher;
import org.iotpipeline.gateway.auth.OpenAccessGuard;
import org.iotpipeline.gateway.auth.RequestAuthenticator;
import org.iotpipeline.gateway.health.CachedReadiness;
import org.iotpipeline.gateway.http.GatewayRoutes;
import org.iotpipeline.gateway.http.RequestHeaderDeadline;
import org.iotpipeline.gateway.ingest.EventIngestion;
import org.iotpipeline.gateway.ingest.InFlightLimiter;
import org.iotpipeline.gateway.kafka.KafkaClients;
import org.iotpipeline.gateway.kafka.KafkaEventPublisher;
import org.iotpipeline.gateway.kafka.KafkaReadiness;
import org.iotpipeline.gateway.metrics.GatewayMetrics;
import org.iotpipeline.model.EventCodec;
import org.iotpipeline.model.ValidationPolicy;
import org.iotpipeline.tls.HandshakeDeadlineEngine;
import org.iotpipeline.tls.KeyStoreTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.duration.FiniteDuration;

/**
 * Builds the gateway's parts from its settings, binds the HTTP server, and registers the graceful
 * shutdown with akka's CoordinatedShutdown (run on SIGTERM by the JVM shutdown hook):
 * <ol>
 *   <li>{@code service-unbind}: the port is closed, no new connections;</li>
 *   <li>{@code service-requests-done}: in-flight requests finish (up to {@code shutdown-drain-timeout});</li>
 *   <li>{@code service-stop}: the producer is flushed and closed, so every record handed to it is
 *       acknowledged or failed before the JVM exits.</li>
 * </ol>
 */
public final class GatewayServer {

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private GatewayServer() {
    }

    /**
     * Starts the gateway in {@code system}; the stage fails, naming the reason, if the port cannot
     * be bound, the settings would expose an unauthenticated gateway, or the key file or TLS key
     * store cannot be used. The producer and clients built here are closed by the system's
     * CoordinatedShutdown (also when the caller terminates the system after a failed start).
     */
    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, GatewaySettings settings) {
        Objects.requireNonNull(system, "system is null");
        Objects.requireNonNull(settings, "settings is null");
        GatewayMetrics metrics = new GatewayMetrics();
        Optional<KeyFileWatcher> keys;
        Optional<HttpsConnectionContext> https;
        try {
            OpenAccessGuard.check(settings);
            keys = settings.auth().enabled()
                    ? Optional.of(KeyFileWatcher.start(settings.auth().keysFile(), metrics))
                    : Optional.empty();
            https = settings.tls().enabled() ? Optional.of(https(settings)) : Optional.empty();
        } catch (KeyFileException | IllegalArgumentException | IllegalStateException e) {
            metrics.close();
            return CompletableFuture.failedFuture(e);
        }
        EventCodec codec = new EventCodec(new ValidationPolicy(settings.eventHorizon(), Clock.systemUTC()),
                settings.maxReportedViolations());
        Producer<byte[], byte[]> producer = KafkaClients.createProducer(settings.kafka());
        metrics.bindProducer(producer);
        KafkaEventPublisher publisher =
                new KafkaEventPublisher(producer, settings.kafka().topic(), codec, settings.maxInFlightEvents());
        InFlightLimiter inFlight = new InFlightLimiter(settings.maxInFlightEvents());
        metrics.bindInFlight(inFlight::inFlight);
        EventIngestion ingestion = new EventIngestion(codec, publisher, inFlight, settings.maxEventsPerRequest(),
                settings.kafka().sendTimeout(), metrics);
        KafkaReadiness kafkaReadiness = new KafkaReadiness(KafkaClients.adminConfig(settings.kafka()),
                settings.kafka().bootstrapServers(), settings.kafka().readyTimeout());
        GatewayRoutes routes = new GatewayRoutes(ingestion, new CachedReadiness(kafkaReadiness, settings.readyCacheTtl()),
                metrics, settings.maxBodySize(), settings.bodyReadTimeout(), settings.retryAfter(),
                settings.benchmarkRoute(), keys.<RequestAuthenticator>map(ApiKeyAuthenticator::new)
                        .orElse(RequestAuthenticator.OPEN));
        Optional<Cancellable> reloading = keys.map(watcher -> system.scheduler().scheduleWithFixedDelay(
                settings.auth().reloadInterval(), settings.auth().reloadInterval(), watcher::check,
                system.dispatchers().lookup(DispatcherSelector.blocking())));

        Runnable closeAll = () -> {
            reloading.ifPresent(Cancellable::cancel);
            publisher.close(settings.kafka().sendTimeout());
            kafkaReadiness.close();
            metrics.close();
        };
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "flush-kafka-producer",
                () -> CompletableFuture.supplyAsync(() -> {
                    closeAll.run();
                    return Done.getInstance();
                }));

        ServerSettings serverSettings = serverSettings(system, settings);
        ServerBuilder server = Http.get(system).newServerAt(settings.host(), settings.port())
                .withSettings(serverSettings);
        if (https.isPresent()) {
            server = server.enableHttps(https.get());
        }
        return server.bindFlow(perConnection(system, routes, serverSettings, settings, metrics))
                .thenApply(binding -> binding.addToCoordinatedShutdown(settings.shutdownDrainTimeout(), system))
                .exceptionally(failure -> {
                    throw new IllegalStateException("cannot bind the gateway to " + settings.host() + ":" + settings.port()
                            + " (is the port taken? set GATEWAY_PORT or event-gateway.port)", failure);
                });
    }

    /**
     * What bind(route) runs for each connection (the route as an async handler, pipelining-limit
     * requests at a time), behind the request-header deadline. bindFlow materializes it once per
     * connection, so each connection has its own deadline.
     */
    private static Flow<HttpRequest, HttpResponse, NotUsed> perConnection(ActorSystem<?> system, GatewayRoutes routes,
            ServerSettings serverSettings, GatewaySettings settings, GatewayMetrics metrics) {
        Function<HttpRequest, CompletionStage<HttpResponse>> handler = routes.routes().handler(system);
        return RequestHeaderDeadline.bidi(settings.requestHeaderTimeout(), metrics::headerTimeout)
                .join(Flow.of(HttpRequest.class).mapAsync(serverSettings.getPipeliningLimit(), handler));
    }

    /**
     * HTTPS from the configured key store. The handshake counts against the request-header
     * timeout: an engine that is still handshaking after it refuses more input, so a trickled
     * ClientHello cannot hold a connection (above TLS, the header deadline cannot close it).
     */
    private static HttpsConnectionContext https(GatewaySettings settings) {
        SSLContext context = KeyStoreTls.serverContext(settings.tls().keyStore(),
                settings.tls().keyStorePassword().toCharArray());
        Duration handshakeTimeout = settings.requestHeaderTimeout();
        return ConnectionContext.httpsServer(() -> HandshakeDeadlineEngine.server(context, handshakeTimeout));
    }

    /**
     * akka-http server settings that follow from ours: body limit, connections, request timeout, and
     * the idle timeout (no bytes either way), which is what closes a TLS connection that never
     * starts its handshake.
     */
    static ServerSettings serverSettings(ActorSystem<?> system, GatewaySettings settings) {
        ServerSettings defaults = ServerSettings.create(system.classicSystem());
        // akka's own timeout answers 503 without Retry-After; keep it behind ours so ours always wins.
        Duration requestTimeout = settings.bodyReadTimeout().plus(settings.kafka().sendTimeout()).plusSeconds(5);
        return defaults
                .withMaxConnections(settings.maxConnections())
                .withParserSettings(defaults.getParserSettings().withMaxContentLength(settings.maxBodySize()))
                .withTimeouts(defaults.getTimeouts()
                        .withRequestTimeout(FiniteDuration.fromNanos(requestTimeout.toNanos()))
                        // Quiet for longer than any phase of a request may be (reading a body, waiting for
                        // Kafka): nothing legitimate is happening on the connection.
                        .withIdleTimeout(FiniteDuration.fromNanos(requestTimeout.plus(settings.requestHeaderTimeout()).toNanos())));
    }
}
