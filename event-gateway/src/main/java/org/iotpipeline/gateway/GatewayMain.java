package org.iotpipeline.gateway;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Event Gateway until SIGTERM: reads the configuration, starts the server and logs
 * {@code READY:} once the port is bound (the start script waits for that line). Shutdown is
 * akka's CoordinatedShutdown, run by the JVM shutdown hook (see {@link GatewayServer}).
 */
public final class GatewayMain {

    private static final Logger log = LoggerFactory.getLogger(GatewayMain.class);

    private GatewayMain() {
    }

    public static void main(String[] args) {
        Config config = ConfigFactory.load();
        GatewaySettings settings = GatewaySettings.from(config);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "event-gateway",
                settings.akkaOverrides().withFallback(config));
        system.getWhenTerminated().thenRun(() -> log.info("Event gateway stopped"));
        GatewayServer.start(system, settings).whenComplete((binding, failure) -> {
            if (failure != null) {
                log.error("Event gateway failed to start", failure);
                system.terminate();
                system.getWhenTerminated().thenRun(() -> System.exit(1));
            } else {
                log.info("READY: event gateway on {}://{}:{} (Kafka {}, topic {}, API keys {})",
                        settings.tls().enabled() ? "https" : "http",
                        binding.localAddress().getHostString(), binding.localAddress().getPort(),
                        settings.kafka().bootstrapServers(), settings.kafka().topic(),
                        settings.auth().enabled() ? "required" : "off");
            }
        });
    }
}
