package org.iotpipeline.console.testing;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.iotpipeline.gateway.GatewayServer;
import org.iotpipeline.gateway.GatewaySettings;

/** The event gateway as GatewayMain wires it (real Kafka producer), on a free port in this JVM. */
public final class RunningGateway implements AutoCloseable {

    private final ActorSystem<Void> system;
    private final ServerBinding binding;

    private RunningGateway(ActorSystem<Void> system, ServerBinding binding) {
        this.system = system;
        this.binding = binding;
    }

    public static RunningGateway start(String bootstrapServers, String topic) throws Exception {
        Config config = ConfigFactory.parseMap(Map.of(
                        "event-gateway.port", 0,
                        "event-gateway.kafka.bootstrap-servers", bootstrapServers,
                        "event-gateway.kafka.topic", topic))
                .withFallback(ConfigFactory.load())
                .resolve();
        GatewaySettings settings = GatewaySettings.from(config);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "console-test-gateway",
                settings.akkaOverrides().withFallback(config));
        try {
            return new RunningGateway(system, GatewayServer.start(system, settings).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            system.terminate();
            throw e;
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + binding.localAddress().getPort());
    }

    @Override
    public void close() throws Exception {
        Done done = CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.jvmExitReason())
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
        system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
