package org.iotpipeline.console.testing;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.query.QueryServer;
import org.iotpipeline.query.QueryServerSettings;
import org.iotpipeline.query.QuerySparkSession;
import org.iotpipeline.store.HourPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts the console talks to, in this JVM: a store written with Spark (two hours of 4 devices ×
 * 2 metrics), the real gateway on the test's Kafka broker, the ETL's admin endpoint, and two query
 * servers over the store (one open, one with a bearer token), both reading the gateway and the ETL
 * for the pipeline page.
 */
public final class ConsoleStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleStack.class);

    public static final String TOKEN = "console-test-token-7f3a";
    public static final String TOPIC = "console-events";
    public static final HourPartition HOUR_1 = new HourPartition(2026, 11, 29, 1);
    public static final HourPartition HOUR_2 = new HourPartition(2026, 11, 29, 2);
    public static final int DEVICES = 4;
    public static final int METRICS = 2;

    private final SparkSession spark;
    private final RunningGateway gateway;
    private final EtlAdmin etl;
    private final ActorSystem<Void> system;
    private final QueryServer open;
    private final QueryServer secured;

    private ConsoleStack(SparkSession spark, RunningGateway gateway, EtlAdmin etl, ActorSystem<Void> system,
                         QueryServer open, QueryServer secured) {
        this.spark = spark;
        this.gateway = gateway;
        this.etl = etl;
        this.system = system;
        this.open = open;
        this.secured = secured;
    }

    public static ConsoleStack start(Path root, String bootstrapServers, Map<String, Object> queryServerOverrides)
            throws Exception {
        SparkSession spark = QuerySparkSession.create(Map.of(
                "spark.master", "local[2]",
                "spark.app.name", "console-test",
                "spark.ui.enabled", "false",
                "spark.sql.shuffle.partitions", "2",
                "spark.sql.session.timeZone", "UTC",
                "spark.sql.datetime.java8API.enabled", "true"));
        TestStore store = new TestStore(spark, root);
        store.writeHour(HOUR_1, DEVICES, METRICS);
        store.writeHour(HOUR_2, DEVICES, METRICS);
        RunningGateway gateway = RunningGateway.start(bootstrapServers, TOPIC);
        EtlAdmin etl = EtlAdmin.start(root.resolve("etl-progress"), true);
        etl.committed(96, Instant.now().minusSeconds(75), 3);
        etl.deadLetters(2);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "console-test-query-server");
        Map<String, Object> config = new HashMap<>();
        config.put("query-server.host", "127.0.0.1");
        config.put("query-server.port", 0);
        config.put("query-server.store.staging-path", store.staging().toString());
        config.put("query-server.store.warehouse-path", store.warehouse().toString());
        config.put("query-server.store.live-path", store.live().toString());
        config.put("query-server.store.refresh-interval", "500ms");
        config.put("query-server.console.gateway-url", gateway.url().toString());
        config.put("query-server.console.etl-url", etl.url().toString());
        config.put("query-server.console.cache-ttl", "500ms");
        config.putAll(queryServerOverrides);
        QueryServer open = QueryServer.start(settings(config), spark, system).toCompletableFuture().join();
        config.put("query-server.auth-token", TOKEN);
        QueryServer secured = QueryServer.start(settings(config), spark, system).toCompletableFuture().join();
        return new ConsoleStack(spark, gateway, etl, system, open, secured);
    }

    private static QueryServerSettings settings(Map<String, Object> config) {
        return QueryServerSettings.from(ConfigFactory.parseMap(config).withFallback(ConfigFactory.load()).resolve());
    }

    public URI queryServer() {
        return URI.create("http://127.0.0.1:" + open.address().getPort());
    }

    public URI securedQueryServer() {
        return URI.create("http://127.0.0.1:" + secured.address().getPort());
    }

    /**
     * Waits until Spark's executors run no task (of any query), polling until {@code atMost}: a
     * cancelled query's tasks must stop, not only its answer, or the next query waits for the cores.
     * Logs how long it took; fails naming the tasks still running.
     */
    public void awaitNoRunningSparkTasks(Duration atMost) {
        long start = System.nanoTime();
        long deadline = start + atMost.toNanos();
        int running = runningSparkTasks();
        while (running > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            running = runningSparkTasks();
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        if (running > 0) {
            throw new AssertionError(running + " Spark tasks still running after " + millis + " ms");
        }
        log.info("No Spark task running after {} ms", millis);
    }

    private int runningSparkTasks() {
        return Arrays.stream(spark.sparkContext().statusTracker().getExecutorInfos())
                .mapToInt(SparkExecutorInfo::numRunningTasks).sum();
    }

    public URI gateway() {
        return gateway.url();
    }

    public EtlAdmin etl() {
        return etl;
    }

    @Override
    public void close() throws Exception {
        try {
            open.stop(Duration.ofSeconds(2)).toCompletableFuture().join();
            secured.stop(Duration.ofSeconds(2)).toCompletableFuture().join();
            system.terminate();
            etl.close();
            gateway.close();
        } finally {
            spark.stop();
        }
    }
}
