package org.iotpipeline.console.testing;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.streaming.StreamingQueryListener.QueryStartedEvent;
import org.iotpipeline.etl.EtlSettings;
import org.iotpipeline.etl.admin.AdminRoutes;
import org.iotpipeline.etl.admin.AdminServer;
import org.iotpipeline.etl.admin.EtlMetrics;
import org.iotpipeline.etl.commit.CommitOutcome;
import org.iotpipeline.etl.commit.StreamState;
import org.iotpipeline.etl.compaction.CompactionReport;
import org.iotpipeline.etl.progress.ProgressStore;
import org.iotpipeline.etl.progress.StreamProgressTracker;

/**
 * The ETL's admin endpoint as EtlService wires it (AdminServer, AdminRoutes, EtlMetrics and the
 * StreamProgressTracker behind them), on a free port. Instead of Spark's streaming queries, the test
 * feeds the tracker the callbacks those queries make (query started, batch committed), so the
 * endpoint answers what a running ETL answers without a second SparkSession in the test JVM.
 */
public final class EtlAdmin implements AutoCloseable {

    private final StreamProgressTracker tracker;
    private final AdminServer server;
    private long batch;
    private boolean closed;

    private EtlAdmin(StreamProgressTracker tracker, AdminServer server) {
        this.tracker = tracker;
        this.server = server;
    }

    /** @param running whether both streaming queries have started (/health 200) */
    public static EtlAdmin start(Path progressDir, boolean running) {
        StreamProgressTracker tracker = new StreamProgressTracker("events",
                new ProgressStore(progressDir.resolve("progress.json").toUri().toString(), new Configuration()),
                Clock.systemUTC());
        if (running) {
            for (String query : new String[] {"measurements", "dead-letters"}) {
                tracker.onQueryStarted(new QueryStartedEvent(UUID.randomUUID(), UUID.randomUUID(), query,
                        Instant.now().toString()));
            }
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EtlMetrics.bind(registry, tracker);
        AdminServer server = AdminServer.start(new EtlSettings.Admin("127.0.0.1", 0),
                new AdminRoutes(tracker, () -> CompactionReport.EMPTY, registry).routes());
        return new EtlAdmin(tracker, server);
    }

    /** A committed micro-batch of the measurements query whose watermark is {@code watermark}. */
    public void committed(long rows, Instant watermark, long lateEvents) {
        batch++;
        tracker.onCommit(new CommitOutcome("measurements", batch, false, rows, 1, 40,
                new StreamState(watermark.toEpochMilli(), null, null, watermark.toEpochMilli()), lateEvents));
    }

    /** Malformed records committed to the dead letters. */
    public void deadLetters(long records) {
        batch++;
        tracker.onCommit(new CommitOutcome("dead-letters", batch, false, records, 1, 10, null, 0));
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** Stops the endpoint (the ETL is then "down" for its readers); once. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.close();
        }
    }
}
