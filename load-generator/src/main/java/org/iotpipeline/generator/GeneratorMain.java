package org.iotpipeline.generator;

import akka.Done;
import akka.actor.ActorSystem;
import akka.actor.CoordinatedShutdown;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.iotpipeline.generator.report.RunSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command line of the load generator: reads the configuration (reference.conf, then
 * environment variables, then {@code -D} system properties, then {@code -D} arguments and flags),
 * starts one {@link LoadRun} and exits with its {@linkplain RunSummary#exitCode() exit code}.
 * Ctrl-C / SIGTERM stop generating, let requests in flight finish, print the summary and write
 * the ledger (akka's CoordinatedShutdown runs that from the JVM shutdown hook).
 */
@Command(name = "start-generator.sh", mixinStandardHelpOptions = true, version = "load-generator 0.1.0",
        sortOptions = false,
        description = "Simulates a fleet of devices POSTing measurements to the event gateway.%n"
                + "Every setting is a key of load-generator in reference.conf (see load-generator/README.md); "
                + "set any of them with -Dload-generator.<key>=<value>. The flags below are shortcuts.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:every event was acknowledged or rejected (none failed)",
                "1:unexpected error, or the ledger could not be written",
                "2:invalid configuration or command line",
                "3:some events failed after all retries (or were unresolved at the shutdown timeout)",
                "130/143:stopped by Ctrl-C/SIGTERM (summary and ledger are still written)"})
public final class GeneratorMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(GeneratorMain.class);
    /** akka settings tuned for the generator; see the file. */
    private static final String AKKA_TUNING = "load-generator-akka.conf";

    @Option(names = "-D", paramLabel = "key=value", description = "Any configuration key, e.g. -Dload-generator.devices=1000")
    private Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--url", description = "Target URL (load-generator.url)")
    private String url;
    @Option(names = "--devices", description = "Simulated devices (load-generator.devices)")
    private String devices;
    @Option(names = "--metrics", description = "Metrics per device (load-generator.metrics-per-device)")
    private String metrics;
    @Option(names = "--interval", description = "Event time between a device's measurements, e.g. 1s (load-generator.interval)")
    private String interval;
    @Option(names = "--rate", description = "Upper bound in events/s, 0 = none (load-generator.rate)")
    private String rate;
    @Option(names = "--count", description = "Stop after this many events (load-generator.event-count)")
    private String count;
    @Option(names = "--duration", description = "Stop after this long, e.g. 5m (load-generator.duration)")
    private String duration;
    @Option(names = "--batch-size", description = "Events per POST (load-generator.batch-size)")
    private String batchSize;
    @Option(names = "--concurrency", description = "Requests in flight at most (load-generator.concurrency)")
    private String concurrency;
    @Option(names = "--seed", description = "Random seed (load-generator.seed)")
    private String seed;
    @Option(names = "--backfill-start", description = "Backfill from this instant or duration ago, e.g. 24h (load-generator.backfill.start)")
    private String backfillStart;
    @Option(names = "--backfill-speed", description = "Backfill speed-up factor or max (load-generator.backfill.speed)")
    private String backfillSpeed;
    @Option(names = "--ledger", description = "Write the ledger to this file (load-generator.ledger-path)")
    private String ledger;
    @Option(names = "--duplicate-fraction", description = "Re-send this share of acknowledged events (load-generator.duplicate-fraction)")
    private String duplicateFraction;

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(new CommandLine(new GeneratorMain()).execute(args));
    }

    @Override
    public Integer call() {
        Config config;
        GeneratorSettings settings;
        try {
            config = configuration(overrides());
            settings = GeneratorSettings.from(config, Clock.systemUTC());
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("ERROR: invalid configuration: " + e.getMessage());
            return RunSummary.EXIT_USAGE;
        }
        ActorSystem system = ActorSystem.create("load-generator", withShutdownBudget(config, settings));
        LoadRun run = LoadRun.start(settings, system, Clock.systemUTC(), System.out::println);
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
        shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "stop-generating-and-drain",
                () -> run.stop("shutdown requested (Ctrl-C / SIGTERM)").handle((summary, error) -> Done.done()));
        log.info("READY: generating to {} ({} devices x {} metrics every {}, {}), Ctrl-C to stop",
                settings.url(), settings.devices(), settings.metricsPerDevice(), settings.interval(),
                settings.backfill().map(b -> "backfill from " + b.start() + " at speed "
                        + (Double.isInfinite(b.speed()) ? "max" : b.speed())).orElse("live"));
        int exitCode;
        try {
            exitCode = run.finished().toCompletableFuture().join().exitCode();
        } catch (RuntimeException e) {
            log.error("The run ended with an error", e);
            exitCode = RunSummary.EXIT_ERROR;
        }
        shutdown.runAll(RunFinished.INSTANCE).toCompletableFuture().join();
        return exitCode;
    }

    /**
     * Flags and -D arguments, then -D system properties, then application.conf (if any), then the
     * generator's akka tuning, then every reference.conf (with its environment variables).
     */
    static Config configuration(Map<String, String> overrides) {
        return ConfigFactory.parseMap(overrides)
                .withFallback(ConfigFactory.defaultOverrides())
                .withFallback(ConfigFactory.defaultApplication())
                .withFallback(ConfigFactory.parseResources(GeneratorMain.class.getClassLoader(), AKKA_TUNING))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }

    /** Flags and -D arguments as configuration paths; flags win. */
    private Map<String, String> overrides() {
        Map<String, String> overrides = new LinkedHashMap<>(properties);
        String root = GeneratorSettings.ROOT + ".";
        putIfSet(overrides, root + "url", url);
        putIfSet(overrides, root + "devices", devices);
        putIfSet(overrides, root + "metrics-per-device", metrics);
        putIfSet(overrides, root + "interval", interval);
        putIfSet(overrides, root + "rate", rate);
        putIfSet(overrides, root + "event-count", count);
        putIfSet(overrides, root + "duration", duration);
        putIfSet(overrides, root + "batch-size", batchSize);
        putIfSet(overrides, root + "concurrency", concurrency);
        putIfSet(overrides, root + "seed", seed);
        putIfSet(overrides, root + "backfill.start", backfillStart);
        putIfSet(overrides, root + "backfill.speed", backfillSpeed);
        putIfSet(overrides, root + "ledger-path", ledger);
        putIfSet(overrides, root + "duplicate-fraction", duplicateFraction);
        return overrides;
    }

    private static void putIfSet(Map<String, String> overrides, String key, String value) {
        if (value != null) {
            overrides.put(key, value);
        }
    }

    /** CoordinatedShutdown must give the drain the whole shutdown timeout (its default phase timeout is 5 s). */
    private static Config withShutdownBudget(Config config, GeneratorSettings settings) {
        long millis = settings.shutdownTimeout().toMillis() + 10_000;
        return ConfigFactory.parseMap(Map.of(
                        "akka.coordinated-shutdown.phases.service-requests-done.timeout", millis + "ms"))
                .withFallback(config);
    }

    /** Why the actor system is shut down when the run ended by itself. */
    private enum RunFinished implements CoordinatedShutdown.Reason {
        INSTANCE
    }
}
