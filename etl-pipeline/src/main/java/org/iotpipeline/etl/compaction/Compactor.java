package org.iotpipeline.etl.compaction;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.etl.compaction.CompactionVerifier.Totals;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.MeasurementsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves closed hours from many small staging files to a few sorted warehouse files, crash-safely
 * (docs/compaction.md).
 *
 * <p>Per closed hour with staging files its manifest has not absorbed: read the current manifest's
 * files plus those staging files, fold the rows of each (window, device, metric) into one (a final
 * row and late rows), sort, write at most ceil(bytes / target-file-size) files under hidden names
 * and rename them to unique final names, verify rows (Parquet footers, one per distinct key) and
 * the sum of event_count, then publish manifest v+1 whose sources are the absorbed staging files. After that,
 * a clean-up pass deletes what was superseded more than a grace period ago.
 *
 * <p><b>Guarantees.</b> A reader following {@link MeasurementsStore#snapshot()} sees every row
 * exactly once at every moment: nothing becomes visible before its manifest is published, the
 * publish is one atomic step, and nothing a reader may still use is deleted within the grace.
 * If the process dies at any point, the next run converges: unpublished files are never read and
 * are deleted after the grace; the staging files they came from are still unabsorbed and get
 * compacted again.
 *
 * <p>Only one compactor may work on a store at a time (a second publish of the same version fails
 * loudly). Not thread-safe: call {@link #run} from one thread at a time.
 */
public final class Compactor {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final SparkSession session;
    private final MeasurementsStore store;
    private final CompactionSettings settings;
    private final Clock clock;
    private final FaultInjector faults;
    private final CompactionPlanner planner;
    private final HourRewriter rewriter;
    private final CompactionVerifier verifier;
    private final CompactionCleaner cleaner;
    private final TierBuilder tiers;
    private final RetentionPass retention;
    private final List<TierCleaner> tierCleaners;
    /** Tags this compactor's Spark jobs so a stopping scheduler can cancel them. */
    private final String jobGroup = "compaction-" + UUID.randomUUID();

    /**
     * @param spark  any session of the application; compaction works in a session of its own on
     *               the same SparkContext, so its format settings never leak into the caller's
     * @param faults {@link FaultInjector#NONE} outside tests
     */
    public Compactor(SparkSession spark, MeasurementsStore store, CompactionSettings settings, Clock clock,
                     FaultInjector faults) {
        this.session = Objects.requireNonNull(spark, "spark is null").newSession();
        session.conf().set("spark.sql.session.timeZone", "UTC");
        session.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
        this.store = Objects.requireNonNull(store, "store is null");
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.faults = Objects.requireNonNull(faults, "faults is null");
        this.planner = new CompactionPlanner(store, settings.targetFileSize());
        this.rewriter = new HourRewriter(session, store, settings, faults);
        ParquetFooters footers = new ParquetFooters(spark.sparkContext().hadoopConfiguration());
        this.verifier = new CompactionVerifier(store.warehouseFileSystem(), footers, rewriter);
        this.cleaner = new CompactionCleaner(store, settings.grace(), clock, faults);
        this.tiers = new TierBuilder(session, store, settings, footers, clock, faults);
        this.retention = new RetentionPass(store, tiers.hourly(), tiers.daily(), settings.retention(), clock);
        this.tierCleaners = List.of(new TierCleaner(tiers.hourly(), settings.grace(), clock),
                new TierCleaner(tiers.daily(), settings.grace(), clock));
    }

    /** The horizon of a standalone run: now minus {@code standalone-lag}. */
    public Instant standaloneHorizon() {
        return clock.instant().minus(settings.standaloneLag());
    }

    /** The horizon of a scheduled run: the streaming watermark minus {@code watermark-lag}. */
    public Optional<Instant> horizonFromWatermark(Optional<Instant> watermark) {
        return watermark.map(w -> w.minus(settings.watermarkLag()));
    }

    /** Now, by the compactor's clock. */
    Instant now() {
        return clock.instant();
    }

    /**
     * Cancels the Spark jobs of a run in progress on another thread (used by a stopping
     * scheduler). The hour being written fails and is not published; the next run redoes it.
     */
    public void cancelRunningJobs() {
        session.sparkContext().cancelJobGroup(jobGroup);
    }

    /** Runs once to the end. See {@link #run(CompactionRequest, BooleanSupplier)}. */
    public CompactionRun run(CompactionRequest request) throws IOException {
        return run(request, () -> false);
    }

    /**
     * Compacts the requested closed hours, oldest first, then cleans up. A failed hour is logged
     * and reported and the run goes on with the next.
     *
     * @param stopRequested checked between hours; when true, the remaining hours are left for the
     *                      next run, and clean-up is skipped
     * @throws IOException if the store cannot be listed
     */
    public CompactionRun run(CompactionRequest request, BooleanSupplier stopRequested) throws IOException {
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        List<HourCompaction> compacted = new ArrayList<>();
        List<HourFailure> failures = new ArrayList<>();
        List<TierBuild> tierBuilds = new ArrayList<>();
        List<TierFailure> tierFailures = new ArrayList<>();
        RetentionResult dropped = RetentionResult.NONE;
        session.sparkContext().setJobGroup(jobGroup, "compaction", false);
        try {
            compactHours(request, stopRequested, compacted, failures);
            if (settings.tiers() && request.horizon().isPresent() && request.hours().isEmpty()
                    && !stopRequested.getAsBoolean()) {
                tiers.build(request.horizon().get(), request.dryRun(), tierBuilds, tierFailures);
                dropped = retention.apply(request.dryRun());
            }
        } finally {
            session.sparkContext().clearJobGroup();
        }
        CleanupResult cleanup = stopRequested.getAsBoolean() ? CleanupResult.NONE
                : cleanTiers(cleaner.clean(request.horizon(), request.dryRun()), request.dryRun());
        CompactionRun run = new CompactionRun(started, Duration.ofNanos(System.nanoTime() - startNanos), request.horizon(),
                request.dryRun(), compacted, failures, cleanup, tierBuilds, tierFailures, dropped);
        if (compacted.isEmpty() && failures.isEmpty() && cleanup.deleted() == 0 && tierBuilds.isEmpty()
                && dropped.dropped() == 0) {
            LOG.debug("compaction run: {}", run.summary());
        } else {
            LOG.info("compaction run: {}", run.summary());
        }
        return run;
    }

    private CleanupResult cleanTiers(CleanupResult hours, boolean dryRun) throws IOException {
        CleanupResult result = hours;
        for (TierCleaner tierCleaner : tierCleaners) {
            int[] outcome = tierCleaner.clean(dryRun);
            result = result.plusTiers(outcome[0], outcome[1]);
        }
        return result;
    }

    private void compactHours(CompactionRequest request, BooleanSupplier stopRequested, List<HourCompaction> compacted,
                              List<HourFailure> failures) throws IOException {
        if (request.horizon().isEmpty()) {
            return;
        }
        for (HourPlan plan : planner.plan(request.horizon().get(), request::selects)) {
            if (stopRequested.getAsBoolean()) {
                LOG.info("stop requested; leaving the remaining hours to the next run");
                return;
            }
            if (request.dryRun()) {
                LOG.info("dry run: would compact {} into v{}: {} warehouse + {} staging files, {} bytes, at most {} files",
                        plan.hour(), plan.nextVersion(), plan.previousFiles().size(), plan.newStagingFiles().size(),
                        plan.inputBytes(), plan.maxOutputFiles());
                compacted.add(HourCompaction.planned(plan));
                continue;
            }
            try {
                compacted.add(compact(plan));
            } catch (Exception e) {
                LOG.error("compaction of {} failed; it is left as it was and retried next run", plan.hour(), e);
                failures.add(new HourFailure(plan.hour(), String.valueOf(e.getMessage())));
            }
        }
    }

    private HourCompaction compact(HourPlan plan) throws IOException {
        if (!plan.missingPreviousFiles().isEmpty()) {
            throw new IOException("warehouse hour " + plan.hour() + " is inconsistent: manifest v"
                    + plan.previous().map(HourManifest::version).orElse(0L) + " lists missing files "
                    + plan.missingPreviousFiles());
        }
        long startNanos = System.nanoTime();
        String runId = UUID.randomUUID().toString();
        Totals expected = verifier.expected(plan);
        List<FileStatus> written = rewriter.rewrite(plan, runId);
        faults.reached(CompactionStep.RENAMED, plan.hour());
        Totals actual;
        try {
            actual = verifier.verify(plan, expected, written);
        } catch (IOException e) {
            // Never listed by a manifest, so no reader can be using them: safe to delete at once.
            for (FileStatus file : written) {
                store.warehouseFileSystem().delete(file.getPath(), false);
            }
            throw e;
        }
        faults.reached(CompactionStep.VERIFIED, plan.hour());
        HourManifest manifest = new HourManifest(plan.nextVersion(), written.stream().map(f -> f.getPath().getName()).toList(),
                plan.nextSources(), actual.rows(), actual.events(), clock.millis());
        store.publishManifest(plan.hour(), manifest);
        faults.reached(CompactionStep.PUBLISHED, plan.hour());
        HourCompaction done = new HourCompaction(plan.hour(), manifest.version(), plan.previousFiles().size(),
                plan.newStagingFiles().size(), plan.inputBytes(), written.size(), HourPlan.bytes(written), actual.rows(),
                actual.events(), Duration.ofNanos(System.nanoTime() - startNanos));
        LOG.info("compacted {} into v{}: {} warehouse + {} staging files ({} bytes) -> {} files ({} bytes), {} rows, "
                        + "{} events, {} ms", plan.hour(), manifest.version(), done.warehouseFilesIn(), done.stagingFilesIn(),
                done.bytesIn(), done.filesOut(), done.bytesOut(), done.rows(), done.events(), done.took().toMillis());
        return done;
    }
}
