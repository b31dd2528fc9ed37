package org.iotpipeline.query;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.settings.ServerSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.query.console.AkkaHttpFetcher;
import org.iotpipeline.query.console.ConsoleAssets;
import org.iotpipeline.query.console.ConsoleRoutes;
import org.iotpipeline.query.console.PipelineMonitor;
import org.iotpipeline.query.console.PipelineRoutes;
import org.iotpipeline.query.execution.QueryService;
import org.iotpipeline.query.execution.RunningQueries;
import org.iotpipeline.query.guard.FunctionPolicy;
import org.iotpipeline.query.guard.SqlGuard;
import org.iotpipeline.query.http.AdminRoutes;
import org.iotpipeline.query.http.BearerAuth;
import org.iotpipeline.query.http.HttpBinding;
import org.iotpipeline.query.http.HttpApi;
import org.iotpipeline.query.http.ProblemResponses;
import org.iotpipeline.query.http.QueryRoutes;
import org.iotpipeline.query.json.JsonMappers;
import org.iotpipeline.query.json.SparkJsonConverter;
import org.iotpipeline.query.metrics.QueryMetrics;
import org.iotpipeline.query.table.BackgroundRefresh;
import org.iotpipeline.query.table.MeasurementsTable;
import org.iotpipeline.query.table.TableCatalog;
import org.iotpipeline.query.table.TableState;
import org.iotpipeline.store.LiveArea;
import org.iotpipeline.store.MeasurementsStore;
import org.iotpipeline.store.TableReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.duration.FiniteDuration;

/**
 * The query server's parts wired together and bound to its port: store and table, guard, query
 * service, routes. Owns its thread pools; the SparkSession and the ActorSystem belong to the caller
 * ({@link QueryServerMain}, or a test).
 */
public final class QueryServer {

    private static final Logger log = LoggerFactory.getLogger(QueryServer.class);
    /** Largest answer of the gateway's or the ETL's admin endpoints read for the pipeline page. */
    private static final long ADMIN_ANSWER_MAX_BYTES = 4L * 1024 * 1024;

    private final HttpBinding binding;
    private final QueryService service;
    private final ExecutorService queryThreads;
    private final ScheduledThreadPoolExecutor timer;
    private final JvmGcMetrics gcMetrics;
    private final BackgroundRefresh refresh;

    private QueryServer(HttpBinding binding, QueryService service, ExecutorService queryThreads,
                        ScheduledThreadPoolExecutor timer, JvmGcMetrics gcMetrics, BackgroundRefresh refresh) {
        this.binding = binding;
        this.service = service;
        this.queryThreads = queryThreads;
        this.timer = timer;
        this.gcMetrics = gcMetrics;
        this.refresh = refresh;
    }

    /**
     * Lists the store (a failure is logged and retried by the first query), registers table
     * {@code measurements} and binds the HTTP API.
     */
    public static CompletionStage<QueryServer> start(QueryServerSettings settings, SparkSession spark,
                                                     ActorSystem<?> system) {
        LockedSparkSettings.verify(spark);
        MeasurementsStore store;
        LiveArea live;
        try {
            store = MeasurementsStore.open(settings.stagingPath(), settings.warehousePath(),
                    spark.sparkContext().hadoopConfiguration());
            if (settings.incrementalListing()) {
                // Re-listed every half refresh interval: hours that did not change are not listed again.
                store = store.withIncrementalListing(Clock.systemUTC());
            }
            live = LiveArea.open(settings.livePath(), spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the store at " + settings.stagingPath() + ", "
                    + settings.warehousePath() + " and " + settings.livePath() + ": " + e.getMessage(), e);
        }
        TableReader reader = new TableReader(spark, store, Optional.of(live), settings.liveRowsOnDriver());
        MeasurementsTable table = new MeasurementsTable(spark, reader, settings.refreshInterval(), Clock.systemUTC());
        try {
            TableState state = table.refresh();
            log.info("Store {} + {}: {} files", store.warehouseRoot(), store.stagingRoot(), state.fileCount());
            table.warmUp();
        } catch (RuntimeException e) {
            log.warn("Cannot list the store yet ({}); /ready answers 503 until a listing succeeds", e.getMessage());
        }
        BackgroundRefresh refresh = BackgroundRefresh.start(table, settings.refreshInterval(),
                settings.liveRefreshInterval());

        ObjectMapper mapper = JsonMappers.create();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        QueryMetrics metrics = new QueryMetrics(registry);
        RunningQueries running = new RunningQueries(settings.limits().maxConcurrent(), settings.limits().retryAfter(),
                spark.sparkContext(), Clock.systemUTC());
        metrics.gauges(running::active, () -> table.state().map(TableState::fileCount).orElse(0));
        // Admission bounds the queries; a thread stuck in a cancelled query (abandoned after the cancel
        // grace) must not take the place of the next query's thread, so the pool grows as needed.
        ExecutorService queryThreads = Executors.newCachedThreadPool(QueryThreads.named("query"));
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, QueryThreads.named("query-timer"));
        timer.setRemoveOnCancelPolicy(true);
        SqlGuard guard = new SqlGuard(spark.sessionState().sqlParser(), FunctionPolicy.load(),
                reader.roots());
        QueryService service = new QueryService(spark, table, guard, running, settings.limits(),
                new SparkJsonConverter(mapper), metrics, queryThreads, timer, settings.resultCache().create());

        ProblemResponses problems = new ProblemResponses(mapper);
        BearerAuth auth = new BearerAuth(settings.allTokens(), problems);
        QueryRoutes queryRoutes = new QueryRoutes(service, problems, auth, mapper,
                QueryServerSettings.BLOCKING_DISPATCHER, settings.streamChunkBytes());
        AdminRoutes adminRoutes = new AdminRoutes(spark, table, new TableCatalog(spark, table), registry, problems,
                auth, mapper, system.dispatchers().lookup(akka.actor.typed.DispatcherSelector.fromConfig(
                        QueryServerSettings.BLOCKING_DISPATCHER)));

        PipelineMonitor pipeline = new PipelineMonitor(new AkkaHttpFetcher(system, settings.console().fetchTimeout(),
                ADMIN_ANSWER_MAX_BYTES), settings.console(), mapper, Clock.systemUTC());
        // The first reading also starts akka's HTTP client, and gives the first viewer's page its rates.
        pipeline.current();
        Route api = HttpApi.route(problems, queryRoutes.route(), adminRoutes.route(),
                new PipelineRoutes(pipeline, auth, mapper).route(),
                new ConsoleRoutes(ConsoleAssets.load(), problems).route());

        return HttpBinding.bind(settings.host(), settings.port(), api,
                        serverSettings(system, settings.limits().maxTimeout()), settings.http(), settings.tls(), problems, timer, system)
                .thenApply(binding -> new QueryServer(binding, service, queryThreads, timer, gcMetrics, refresh))
                .whenComplete((server, error) -> {
                    if (error != null) {
                        queryThreads.shutdownNow();
                        timer.shutdownNow();
                        refresh.close();
                        gcMetrics.close();
                    }
                });
    }

    /** The address the API is bound to (with the real port when 0 was configured). */
    public InetSocketAddress address() {
        return binding.localAddress();
    }

    /** Client connections open now. */
    public int openConnections() {
        return binding.openConnections();
    }

    public QueryService service() {
        return service;
    }

    /**
     * Stops accepting connections and cancels running queries (their clients get 409, or a cut
     * stream); gives their Spark jobs up to {@code grace} to wind down.
     */
    public CompletionStage<?> stop(Duration grace) {
        return binding.unbind().whenComplete((done, error) -> {
            service.cancelAll();
            queryThreads.shutdown();
            try {
                if (!queryThreads.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("Queries still running {} after shutdown began", grace);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer.shutdownNow();
            refresh.close();
            gcMetrics.close();
        });
    }

    /**
     * A JSON answer may take up to the largest query timeout: akka-http must not answer 503 or
     * close the connection as idle before the query server's own 504.
     */
    private static ServerSettings serverSettings(ActorSystem<?> system, Duration maxTimeout) {
        ServerSettings defaults = ServerSettings.create(akka.actor.typed.javadsl.Adapter.toClassic(system));
        FiniteDuration request = FiniteDuration.create(maxTimeout.plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
        FiniteDuration idle = FiniteDuration.create(maxTimeout.plusSeconds(60).toMillis(), TimeUnit.MILLISECONDS);
        scala.concurrent.duration.Duration configuredIdle = defaults.getTimeouts().idleTimeout();
        return defaults.withTimeouts(defaults.getTimeouts()
                .withRequestTimeout(request)
                .withIdleTimeout(configuredIdle.isFinite() && configuredIdle.lt(idle) ? idle : configuredIdle));
    }
}
