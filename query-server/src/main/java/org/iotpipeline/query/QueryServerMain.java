package org.iotpipeline.query;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Starts the Query Server: reads {@code query-server} from the configuration, starts the
 * SparkSession and the HTTP API, and logs {@code READY: query-server on http://host:port} (the
 * start script waits for that line). On SIGTERM it stops accepting requests, cancels running
 * queries and stops Spark.
 */
public final class QueryServerMain {

    private static final Logger log = LoggerFactory.getLogger(QueryServerMain.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private QueryServerMain() {
    }

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        FatalErrorHandler.install();
        Config config = ConfigFactory.load();
        QueryServerSettings settings = QueryServerSettings.from(config);

        SparkSession spark = QuerySparkSession.create(settings.sparkConf());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "query-server", config);
        QueryServer server;
        try {
            server = QueryServer.start(settings, spark, system).toCompletableFuture().join();
        } catch (RuntimeException e) {
            log.error("Query server failed to start on {}:{}", settings.host(), settings.port(), e);
            system.terminate();
            spark.stop();
            System.exit(1);
            return;
        }

        CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
        shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "stop-http-and-queries",
                () -> server.stop(SHUTDOWN_GRACE).thenApply(done -> Done.getInstance()));
        shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "stop-spark", () -> {
            spark.stop();
            return CompletableFuture.completedFuture(Done.getInstance());
        });
        log.info("READY: query-server on {}://{}:{} (Spark {}, master {})", settings.tls().enabled() ? "https" : "http",
                server.address().getHostString(),
                server.address().getPort(), spark.version(), spark.sparkContext().master());
    }
}
