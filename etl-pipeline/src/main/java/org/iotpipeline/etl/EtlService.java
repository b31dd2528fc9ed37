package org.iotpipeline.etl;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.iotpipeline.etl.admin.AdminRoutes;
import org.iotpipeline.etl.admin.AdminServer;
import org.iotpipeline.etl.admin.EtlMetrics;
import org.iotpipeline.etl.commit.FaultInjector;
import org.iotpipeline.etl.compaction.CompactionMeters;
import org.iotpipeline.etl.compaction.CompactionReport;
import org.iotpipeline.etl.compaction.CompactionScheduler;
import org.iotpipeline.etl.compaction.Compactor;
import org.iotpipeline.etl.idle.HeartbeatPolicy;
import org.iotpipeline.etl.idle.IdleHeartbeat;
import org.iotpipeline.etl.progress.CheckpointFormat;
import org.iotpipeline.etl.progress.ProgressStore;
import org.iotpipeline.etl.progress.StreamProgressTracker;
import org.iotpipeline.etl.stream.DeadLettersQuery;
import org.iotpipeline.etl.stream.MeasurementsQuery;
import org.iotpipeline.store.MeasurementsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running ETL: the measurements and dead-letter queries, the idle heartbeat, progress tracking
 * and the admin endpoint, on a SparkSession owned by the caller.
 */
public final class EtlService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EtlService.class);
    private static final Duration COMPACTION_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final SparkSession spark;
    private final StreamProgressTracker tracker;
    private final List<StreamingQuery> queries;
    private final IdleHeartbeat heartbeat;
    private final CompactionScheduler compaction;
    private final AdminServer admin;

    private EtlService(SparkSession spark, StreamProgressTracker tracker, List<StreamingQuery> queries,
                       IdleHeartbeat heartbeat, CompactionScheduler compaction, AdminServer admin) {
        this.spark = Objects.requireNonNull(spark, "spark is null");
        this.tracker = Objects.requireNonNull(tracker, "tracker is null");
        this.queries = Objects.requireNonNull(queries, "queries is null");
        this.heartbeat = heartbeat;
        this.compaction = compaction;
        this.admin = admin;
    }

    /**
     * Starts everything; on failure stops what already started.
     *
     * @param faults {@link FaultInjector#NONE} except in tests
     */
    public static EtlService start(SparkSession spark, EtlSettings settings, FaultInjector faults, Clock clock)
            throws TimeoutException {
        Objects.requireNonNull(spark, "spark is null");
        Objects.requireNonNull(faults, "faults is null");
        Objects.requireNonNull(clock, "clock is null");
        EtlSettings.Kafka kafka = Objects.requireNonNull(settings, "settings is null").kafka();
        CheckpointFormat.check(settings.paths().checkpoint(), settings.paths().measurementsCheckpoint(),
                spark.sparkContext().hadoopConfiguration());
        IdleHeartbeat.ensureTopic(kafka.clientProperties(), kafka.heartbeatTopic());
        StreamProgressTracker tracker = new StreamProgressTracker(kafka.topic(),
                new ProgressStore(settings.paths().progressFile(), spark.sparkContext().hadoopConfiguration()), clock);
        spark.streams().addListener(tracker);
        Trigger trigger = Trigger.ProcessingTime(settings.triggerInterval().toMillis());
        // Dead letters need no freshness: a slower trigger leaves the cores to the measurements query.
        Trigger deadLettersTrigger = Trigger.ProcessingTime(settings.deadLettersTriggerInterval().toMillis());
        StreamingQuery measurements = null;
        StreamingQuery deadLetters = null;
        IdleHeartbeat heartbeat = null;
        CompactionScheduler compaction = null;
        try {
            measurements = MeasurementsQuery.start(spark, settings, trigger, faults, tracker::onCommit);
            deadLetters = DeadLettersQuery.start(spark, settings, deadLettersTrigger, faults, tracker::onCommit);
            heartbeat = IdleHeartbeat.start(kafka.clientProperties(), kafka.heartbeatTopic(),
                    new HeartbeatPolicy(settings.window(), settings.watermarkLateness(), settings.idleTimeout()),
                    tracker, clock);
            compaction = startCompaction(spark, settings, tracker, clock);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            EtlMetrics.bind(registry, tracker);
            new CompactionMeters(compaction).bindTo(registry); // the scheduler lives as long as the service
            AdminServer admin = AdminServer.start(settings.admin(),
                    new AdminRoutes(tracker, compaction::report, registry).routes());
            return new EtlService(spark, tracker, List.of(measurements, deadLetters), heartbeat, compaction, admin);
        } catch (RuntimeException | TimeoutException e) {
            new EtlService(spark, tracker, nonNull(measurements, deadLetters), heartbeat, compaction, null).close();
            throw e;
        }
    }

    /**
     * Compaction runs in this service on the streaming watermark: an hour is compacted once the
     * watermark (minus the configured lag) has passed its end, so all its windows are final.
     */
    private static CompactionScheduler startCompaction(SparkSession spark, EtlSettings settings,
                                                       StreamProgressTracker tracker, Clock clock) {
        MeasurementsStore store;
        try {
            store = settings.paths().store().open(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the measurements store at " + settings.paths().store(), e);
        }
        Compactor compactor = new Compactor(spark, store, settings.compaction(), clock,
                org.iotpipeline.etl.compaction.FaultInjector.NONE);
        CompactionScheduler scheduler = new CompactionScheduler(compactor, settings.compaction(), tracker::watermark);
        scheduler.start();
        return scheduler;
    }

    /** Compaction so far (all zero when it is disabled). */
    public CompactionReport compactionReport() {
        return compaction.report();
    }

    public StreamProgressTracker tracker() {
        return tracker;
    }

    /** The admin endpoint's bound port. */
    public int adminPort() {
        return admin.port();
    }

    public List<StreamingQuery> queries() {
        return queries;
    }

    /**
     * Stops compaction (an unfinished hour is never published), the heartbeat, then each query (a
     * batch in flight is abandoned and redone on restart), then the endpoint.
     */
    @Override
    public void close() {
        if (compaction != null) {
            compaction.stop(COMPACTION_STOP_TIMEOUT); // logs itself if it had to cancel
        }
        if (heartbeat != null) {
            heartbeat.close();
        }
        for (StreamingQuery query : queries) {
            try {
                query.stop();
            } catch (TimeoutException | RuntimeException e) {
                log.warn("Query {} did not stop cleanly: {}", query.name(), e.toString());
            }
        }
        if (admin != null) {
            admin.close();
        }
        spark.streams().removeListener(tracker);
    }

    private static List<StreamingQuery> nonNull(StreamingQuery... queries) {
        return java.util.Arrays.stream(queries).filter(Objects::nonNull).toList();
    }
}
