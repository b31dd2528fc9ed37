package org.iotpipeline.etl.admin;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Route;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.iotpipeline.etl.EtlSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The akka-http server of the admin endpoint, with its own small actor system. */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final ActorSystem<Void> system;
    private final ServerBinding binding;

    private AdminServer(ActorSystem<Void> system, ServerBinding binding) {
        this.system = Objects.requireNonNull(system, "system is null");
        this.binding = Objects.requireNonNull(binding, "binding is null");
    }

    /**
     * Binds the routes and waits until the port is open.
     *
     * @throws IllegalStateException naming host and port if binding fails (e.g. the port is taken)
     */
    public static AdminServer start(EtlSettings.Admin settings, Route routes) {
        Objects.requireNonNull(settings, "settings is null");
        Objects.requireNonNull(routes, "routes is null");
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "etl-admin");
        try {
            ServerBinding binding = Http.get(system).newServerAt(settings.host(), settings.port()).bind(routes)
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new AdminServer(system, binding);
        } catch (Exception e) {
            system.terminate();
            Throwable cause = e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException
                    ? e.getCause() : e;
            throw new IllegalStateException("could not open the admin endpoint on " + settings.host() + ":"
                    + settings.port() + " (set etl-pipeline.admin.port / ETL_ADMIN_PORT): " + cause.getMessage(), cause);
        }
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return binding.localAddress().getPort();
    }

    public String host() {
        return binding.localAddress().getHostString();
    }

    @Override
    public void close() {
        try {
            binding.terminate(Duration.ofSeconds(3)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Admin endpoint did not stop cleanly: {}", e.toString());
        } finally {
            system.terminate();
        }
    }
}
