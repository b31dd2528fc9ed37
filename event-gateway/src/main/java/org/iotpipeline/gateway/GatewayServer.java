package org.iotpipeline.gateway;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.settings.ServerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.Producer;
import org.iotpipeline.gateway.health.CachedReadiness;
import org.iotpipeline.gateway.http.GatewayRoutes;
import org.iotpipeline.gateway.ingest.EventIngestion;
import org.iotpipeline.gateway.ingest.InFlightLimiter;
import org.iotpipeline.gateway.kafka.KafkaClients;
import org.iotpipeline.gateway.kafka.KafkaEventPublisher;
import org.iotpipeline.gateway.kafka.KafkaReadiness;
import org.iotpipeline.gateway.metrics.GatewayMetrics;
import org.iotpipeline.model.EventCodec;
import org.iotpipeline.model.ValidationPolicy;
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
     * Starts the gateway in {@code system}; the stage fails, naming the address, if the port cannot
     * be bound. The producer and clients built here are closed by the system's CoordinatedShutdown
     * (also when the caller terminates the system after a failed start).
     */
    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, GatewaySettings settings) {
        GatewayMetrics metrics = new GatewayMetrics();
        EventCodec codec = new EventCodec(new ValidationPolicy(settings.eventHorizon(), Clock.systemUTC()));
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
                settings.benchmarkRoute());

        Runnable closeAll = () -> {
            publisher.close(settings.kafka().sendTimeout());
            kafkaReadiness.close();
            metrics.close();
        };
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "flush-kafka-producer",
                () -> CompletableFuture.supplyAsync(() -> {
                    closeAll.run();
                    return Done.getInstance();
                }));

        return Http.get(system).newServerAt(settings.host(), settings.port())
                .withSettings(serverSettings(system, settings))
                .bind(routes.routes())
                .thenApply(binding -> binding.addToCoordinatedShutdown(settings.shutdownDrainTimeout(), system))
                .exceptionally(failure -> {
                    throw new IllegalStateException("cannot bind the gateway to " + settings.host() + ":" + settings.port()
                            + " (is the port taken? set GATEWAY_PORT or event-gateway.port)", failure);
                });
    }

    /** akka-http server settings that follow from ours (body limit, connections, request timeout). */
    static ServerSettings serverSettings(ActorSystem<?> system, GatewaySettings settings) {
        ServerSettings defaults = ServerSettings.create(system.classicSystem());
        // akka's own timeout answers 503 without Retry-After; keep it behind ours so ours always wins.
        Duration requestTimeout = settings.bodyReadTimeout().plus(settings.kafka().sendTimeout()).plusSeconds(5);
        return defaults
                .withMaxConnections(settings.maxConnections())
                .withParserSettings(defaults.getParserSettings().withMaxContentLength(settings.maxBodySize()))
                .withTimeouts(defaults.getTimeouts().withRequestTimeout(FiniteDuration.fromNanos(requestTimeout.toNanos())));
    }
}
