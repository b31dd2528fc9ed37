package org.iotpipeline.etl.compaction;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/compact.sh}: one compaction run in the foreground, then exit. Exit code 0 when
 * every hour compacted, 1 when some failed (they are left as they were), 2 on bad options.
 *
 * <p>Do not run it against a store whose ETL service compacts on a schedule (one compactor per
 * store); set {@code COMPACTION_ENABLED=false} for the service, or use this only when it is down.
 */
@Command(name = "compact.sh", sortOptions = false,
        description = {"Compacts closed staging hours into the warehouse (few sorted files per hour, verified, "
                + "published by a manifest), then deletes what was superseded longer than the grace ago.",
                "Settings come from etl-pipeline.compaction and etl-pipeline.paths (see docs/compaction.md)."})
public final class CompactionMain implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--horizon", paramLabel = "INSTANT",
            description = "Compact hours ending at or before this instant, e.g. 2026-11-29T04:00:00Z. "
                    + "Default: now minus etl-pipeline.compaction.standalone-lag.")
    private Instant horizon;

    @Option(names = "--hour", converter = HourArgument.class, paramLabel = "HOUR",
            description = "Only this hour: 2026-11-29T03 (UTC) or year=2026/month=11/day=29/hour=3. Repeatable. "
                    + "It must still be closed by the horizon.")
    private List<HourPartition> hours = List.of();

    @Option(names = "--dry-run", description = "Print what would be compacted and deleted; change nothing.")
    private boolean dryRun;

    private final Config config;
    private final PrintStream out;

    /**
     * @param config the resolved configuration ({@code etl-pipeline.compaction}, {@code etl-pipeline.paths})
     * @param out    where the results go (logs go to the logging system)
     */
    CompactionMain(Config config, PrintStream out) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.out = Objects.requireNonNull(out, "out is null");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CompactionMain(ConfigFactory.load(), System.out)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        CompactionSettings settings = CompactionSettings.fromConfig(config);
        StorePaths paths = StorePaths.fromConfig(config);
        SparkSession spark = SparkSession.builder().config(sparkConf()).getOrCreate();
        try {
            MeasurementsStore store = paths.open(spark.sparkContext().hadoopConfiguration());
            Compactor compactor = new Compactor(spark, store, settings, Clock.systemUTC(), FaultInjector.NONE);
            Instant effectiveHorizon = horizon != null ? horizon : compactor.standaloneHorizon();
            for (HourPartition hour : hours) {
                if (hour.end().isAfter(effectiveHorizon)) {
                    out.printf(Locale.ROOT, "note: %s ends after the horizon %s, so it is not closed and is left alone "
                            + "(pass --horizon to move the horizon)%n", HourArgument.format(hour), effectiveHorizon);
                }
            }
            CompactionRequest request = new CompactionRequest(Optional.of(effectiveHorizon), Set.copyOf(hours), dryRun);
            CompactionRun run = compactor.run(request);
            print(run, out);
            return run.failures().isEmpty() && run.tierFailures().isEmpty() ? 0 : 1;
        } finally {
            spark.stop();
        }
    }

    /** Spark settings: any {@code -Dspark.*} given wins; otherwise a local, UI-less session. */
    private static SparkConf sparkConf() {
        return new SparkConf()
                .setIfMissing("spark.master", "local[*]")
                .setIfMissing("spark.app.name", "iot-compaction")
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.sql.session.timeZone", "UTC");
    }

    private static void print(CompactionRun run, PrintStream out) {
        String prefix = run.dryRun() ? "would compact" : "compacted";
        for (HourCompaction hour : run.compacted()) {
            if (run.dryRun()) {
                out.printf(Locale.ROOT, "%s %s into v%d: %d warehouse + %s (%s) -> at most %s%n", prefix,
                        HourArgument.format(hour.hour()), hour.version(), hour.warehouseFilesIn(),
                        files(hour.stagingFilesIn(), "staging file"), Sizes.human(hour.bytesIn()), files(hour.filesOut(), "file"));
            } else {
                out.printf(Locale.ROOT, "%s %s into v%d: %d warehouse + %s (%s) -> %s (%s), %d rows, %d events, %.1f s%n", prefix,
                        HourArgument.format(hour.hour()), hour.version(), hour.warehouseFilesIn(),
                        files(hour.stagingFilesIn(), "staging file"), Sizes.human(hour.bytesIn()), files(hour.filesOut(), "file"),
                        Sizes.human(hour.bytesOut()), hour.rows(), hour.events(), hour.took().toMillis() / 1000.0);
            }
        }
        for (HourFailure failure : run.failures()) {
            out.printf(Locale.ROOT, "FAILED %s: %s%n", HourArgument.format(failure.hour()), failure.reason());
        }
        for (TierBuild tier : run.tiers()) {
            if (run.dryRun()) {
                out.printf(Locale.ROOT, "would build %s from %d source(s)%n", tier.partition(), tier.sources().size());
            } else {
                out.printf(Locale.ROOT, "built %s v%d from %d source(s): %d rows, %d events, %.1f s%n", tier.partition(),
                        tier.version(), tier.sources().size(), tier.rows(), tier.events(), tier.took().toMillis() / 1000.0);
            }
        }
        for (TierFailure failure : run.tierFailures()) {
            out.printf(Locale.ROOT, "FAILED %s: %s%n", failure.partition(), failure.reason());
        }
        String drop = run.dryRun() ? "would drop" : "dropped";
        run.retention().hours().forEach(hour -> out.printf(Locale.ROOT, "%s 5-minute hour %s (retention)%n", drop, hour));
        run.retention().days().forEach(day -> out.printf(Locale.ROOT, "%s %s (retention)%n", drop, day));
        run.retention().months().forEach(month -> out.printf(Locale.ROOT, "%s %s (retention)%n", drop, month));
        CleanupResult cleanup = run.cleanup();
        out.printf(Locale.ROOT, "%s %d absorbed staging files, %d unlisted warehouse files, %d old manifests, %d crash leftovers, "
                        + "%d empty staging directories, %d tier files; %d waiting for the grace%n",
                run.dryRun() ? "would delete" : "deleted", cleanup.stagingFiles(), cleanup.warehouseFiles(),
                cleanup.manifests(), cleanup.workDirectories(), cleanup.stagingHourDirs(), cleanup.tierFiles(),
                cleanup.waiting());
        out.println(run.summary());
    }

    private static String files(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
