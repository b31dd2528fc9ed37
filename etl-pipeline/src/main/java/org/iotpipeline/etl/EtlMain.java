package org.iotpipeline.etl;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.iotpipeline.etl.commit.FaultInjector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the ETL service: reads {@code etl-pipeline} from the configuration, builds the
 * SparkSession, starts {@link EtlService}, logs {@code READY:} and runs until SIGTERM (clean stop:
 * queries, then Spark) or until a query fails (exit status 1, so a supervisor restarts it; the
 * checkpoint makes the restart lose and duplicate nothing).
 */
public final class EtlMain {

    private static final Logger log = LoggerFactory.getLogger(EtlMain.class);
    /** Runs before Spark's own shutdown hook (priority 40 in Hadoop's manager) so the queries stop while Spark is up. */
    private static final int SHUTDOWN_PRIORITY = 100;

    private EtlMain() {
    }

    public static void main(String[] args) {
        EtlSettings settings = EtlSettings.from(ConfigFactory.load());
        SparkSession spark = EtlSpark.session(settings.spark());
        EtlService service;
        try {
            service = EtlService.start(spark, settings, FaultInjector.NONE, Clock.systemUTC());
        } catch (Exception e) {
            log.error("The ETL could not start: {}", e.getMessage(), e);
            spark.stop();
            System.exit(1);
            return;
        }
        Object stopLock = new Object();
        boolean[] stopping = {false};
        ShutdownHookManager.get().addShutdownHook(() -> {
            synchronized (stopLock) {
                stopping[0] = true;
            }
            log.info("Shutdown requested; stopping the streaming queries");
            service.close();
            spark.stop();
            log.info("ETL stopped");
        }, SHUTDOWN_PRIORITY, 120, TimeUnit.SECONDS);

        log.info("READY: ETL reading {} (heartbeats {}) from {}; writing {}; admin on http://{}:{}",
                settings.kafka().topic(), settings.kafka().heartbeatTopic(), settings.kafka().bootstrapServers(),
                settings.paths().staging(), settings.admin().host(), service.adminPort());

        int status = 0;
        try {
            spark.streams().awaitAnyTermination();
        } catch (StreamingQueryException e) {
            log.error("Streaming query failed; stopping the ETL", e);
            status = 1;
        }
        synchronized (stopLock) {
            if (stopping[0]) {
                return; // SIGTERM: the shutdown hook is stopping everything
            }
        }
        System.exit(status); // the shutdown hook stops the other query, the endpoint and Spark
    }
}
