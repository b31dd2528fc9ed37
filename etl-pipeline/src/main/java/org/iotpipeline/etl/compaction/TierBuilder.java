package org.iotpipeline.etl.compaction;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.HourPartition;
import org.iotpipeline.store.MeasurementsSchema;
import org.iotpipeline.store.MeasurementsStore;
import org.iotpipeline.store.Rollups;
import org.iotpipeline.store.Tier;
import org.iotpipeline.store.TierManifest;
import org.iotpipeline.store.TierPartition;
import org.iotpipeline.store.TierStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the coarser tiers from what compaction published (docs/storage.md, "Tiers"), with the
 * protocol of an hour's compaction: write under a hidden name, rename to unique names, verify,
 * publish a manifest.
 *
 * <ul>
 *   <li>A day of {@code measurements_1h} is built from the day's <em>settled</em> 5-minute hours:
 *       closed, compacted, no staging file left to absorb. Its manifest records each hour's
 *       manifest version; when one changes (late rows rolled into the hour) or a settled hour
 *       joins, the day is built again.</li>
 *   <li>A month of {@code measurements_1d} is built from the month's closed days whose hourly
 *       partition is up to date, recording their versions the same way.</li>
 *   <li>A partition with a retired source (dropped by retention) is never built again: nothing
 *       can arrive for it any more (retention is longer than max-event-age).</li>
 * </ul>
 *
 * <p>Each row is the fold of the finer rows of its window ({@link Rollups#merge} after truncating
 * window_start), so counts and sums are added, min of minimums, max of maximums, first and last by
 * time, and avg = sum / count.
 */
final class TierBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(TierBuilder.class);
    static final String WORK_DIR_PREFIX = "_building-";

    private final SparkSession session;
    private final MeasurementsStore store;
    private final TierStore hourly;
    private final TierStore daily;
    private final CompactionSettings settings;
    private final ParquetFooters footers;
    private final Clock clock;
    private final FaultInjector faults;

    TierBuilder(SparkSession session, MeasurementsStore store, CompactionSettings settings, ParquetFooters footers,
                Clock clock, FaultInjector faults) {
        this.session = Objects.requireNonNull(session, "session is null");
        this.store = Objects.requireNonNull(store, "store is null");
        this.hourly = TierStore.of(store, Tier.HOURLY);
        this.daily = TierStore.of(store, Tier.DAILY);
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.footers = Objects.requireNonNull(footers, "footers is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.faults = Objects.requireNonNull(faults, "faults is null");
    }

    TierStore hourly() {
        return hourly;
    }

    TierStore daily() {
        return daily;
    }

    /**
     * Brings both tiers up to date for everything closed by {@code horizon}: hourly days first,
     * then the daily months they feed. A failed partition is logged and reported; the rest go on.
     */
    void build(Instant horizon, boolean dryRun, List<TierBuild> built, List<TierFailure> failures) throws IOException {
        SortedMap<HourPartition, HourManifest> hours = store.currentManifests();
        Set<HourPartition> unsettled = Set.copyOf(store.snapshot().stagingHours());
        SortedMap<TierPartition, TierManifest> days = hourly.currentManifests();
        for (Map.Entry<TierPartition, Map<String, Long>> day : hourSources(hours, unsettled, horizon).entrySet()) {
            Optional<TierManifest> current = Optional.ofNullable(days.get(day.getKey()));
            if (current.map(m -> m.retired() || m.sources().equals(day.getValue())).orElse(false)) {
                continue;
            }
            buildOne(hourly, day.getKey(), current, day.getValue(), dryRun, built, failures,
                    () -> readHours(day.getValue().keySet()));
        }
        SortedMap<TierPartition, TierManifest> freshDays = dryRun ? days : hourly.currentManifests();
        SortedMap<TierPartition, TierManifest> months = daily.currentManifests();
        Map<TierPartition, Map<String, Long>> upToDateDays = upToDateDays(hours, unsettled, horizon, freshDays);
        for (Map.Entry<TierPartition, Map<String, Long>> month : daySources(upToDateDays, freshDays, horizon).entrySet()) {
            Optional<TierManifest> current = Optional.ofNullable(months.get(month.getKey()));
            if (current.map(m -> m.retired() || m.sources().equals(month.getValue())).orElse(false)) {
                continue;
            }
            buildOne(daily, month.getKey(), current, month.getValue(), dryRun, built, failures,
                    () -> readDays(month.getValue().keySet(), freshDays));
        }
    }

    /** Per day: the settled hours closed by the horizon and their versions; days with a retired hour are left out. */
    private static Map<TierPartition, Map<String, Long>> hourSources(SortedMap<HourPartition, HourManifest> hours,
                                                                       Set<HourPartition> unsettled, Instant horizon) {
        Map<TierPartition, Map<String, Long>> days = new TreeMap<>();
        Set<TierPartition> frozen = new java.util.HashSet<>();
        for (Map.Entry<HourPartition, HourManifest> entry : hours.entrySet()) {
            TierPartition day = TierPartition.of(Tier.HOURLY, entry.getKey());
            if (entry.getValue().retired()) {
                frozen.add(day);
                continue;
            }
            boolean settled = !entry.getKey().end().isAfter(horizon) && !unsettled.contains(entry.getKey())
                    && !entry.getValue().files().isEmpty();
            if (settled) {
                days.computeIfAbsent(day, d -> new TreeMap<>()).put(entry.getKey().relativePath(), entry.getValue().version());
            }
        }
        frozen.forEach(days::remove);
        return days;
    }

    /** The closed days whose hourly partition holds exactly their settled hours now. */
    private static Map<TierPartition, Map<String, Long>> upToDateDays(SortedMap<HourPartition, HourManifest> hours,
                                                                        Set<HourPartition> unsettled, Instant horizon,
                                                                        SortedMap<TierPartition, TierManifest> days) {
        Map<TierPartition, Map<String, Long>> wanted = hourSources(hours, unsettled, horizon);
        Map<TierPartition, Map<String, Long>> upToDate = new TreeMap<>();
        for (Map.Entry<TierPartition, TierManifest> day : days.entrySet()) {
            boolean closed = !day.getKey().end().isAfter(horizon);
            boolean current = day.getValue().retired()
                    || day.getValue().sources().equals(wanted.getOrDefault(day.getKey(), day.getValue().sources()));
            if (closed && current) {
                upToDate.put(day.getKey(), day.getValue().sources());
            }
        }
        return upToDate;
    }

    /** Per month: its up-to-date closed days and their hourly versions; months with a retired day are left out. */
    private static Map<TierPartition, Map<String, Long>> daySources(Map<TierPartition, Map<String, Long>> upToDateDays,
                                                                      SortedMap<TierPartition, TierManifest> days,
                                                                      Instant horizon) {
        Map<TierPartition, Map<String, Long>> months = new TreeMap<>();
        Set<TierPartition> frozen = new java.util.HashSet<>();
        for (Map.Entry<TierPartition, TierManifest> day : days.entrySet()) {
            TierPartition month = TierPartition.containing(Tier.DAILY, day.getKey().start());
            if (day.getValue().retired()) {
                frozen.add(month);
            } else if (upToDateDays.containsKey(day.getKey()) && !day.getValue().files().isEmpty()) {
                months.computeIfAbsent(month, m -> new TreeMap<>()).put(day.getKey().relativePath(), day.getValue().version());
            }
        }
        frozen.forEach(months::remove);
        return months;
    }

    private interface Input {
        Dataset<Row> rows() throws IOException;
    }

    private void buildOne(TierStore tier, TierPartition partition, Optional<TierManifest> current, Map<String, Long> sources,
                          boolean dryRun, List<TierBuild> built, List<TierFailure> failures, Input input) {
        long version = current.map(TierManifest::version).orElse(0L) + 1;
        if (dryRun) {
            LOG.info("dry run: would build {} v{} from {} source(s)", partition, version, sources.size());
            built.add(new TierBuild(partition, 0, sources, 0, 0, 0, Duration.ZERO));
            return;
        }
        long started = System.nanoTime();
        try {
            built.add(write(tier, partition, version, sources, input.rows(), started));
        } catch (Exception e) {
            LOG.error("building {} v{} failed; it is left as it was and retried next run", partition, version, e);
            failures.add(new TierFailure(partition, String.valueOf(e.getMessage())));
        }
    }

    /** Hidden write, unique names, verify, publish: the compaction protocol for one tier partition. */
    private TierBuild write(TierStore tier, TierPartition partition, long version, Map<String, Long> sources,
                            Dataset<Row> finer, long startedNanos) throws IOException {
        Dataset<Row> rewindowed = rewindow(finer, tier.tier());
        CompactionVerifier.Totals expected = totals(rewindowed);
        String runId = UUID.randomUUID().toString();
        FileSystem fs = tier.fileSystem();
        Path dir = tier.partitionDir(partition);
        Path work = new Path(dir, WORK_DIR_PREFIX + "v" + version + "-" + runId);
        Column[] fileColumns = Arrays.stream(tier.tier().fileSchema().fieldNames()).map(functions::col).toArray(Column[]::new);
        Column[] sort = MeasurementsSchema.sortColumns();
        Rollups.merge(rewindowed, true)
                .select(fileColumns)
                .repartitionByRange(1, sort)
                .sortWithinPartitions(sort)
                .write().mode(SaveMode.ErrorIfExists)
                .option("compression", settings.compression())
                .option("parquet.block.size", Long.toString(settings.rowGroupSize()))
                .parquet(work.toString());
        faults.reached(CompactionStep.WRITTEN_HIDDEN, partition);
        FileStatus[] written = fs.listStatus(work, path -> MeasurementsStore.isDataFileName(path.getName()));
        Arrays.sort(written, Comparator.comparing(status -> status.getPath().getName()));
        List<FileStatus> renamed = new ArrayList<>();
        for (int i = 0; i < written.length; i++) {
            Path target = new Path(dir, String.format(Locale.ROOT, "part-t%010d-%s-%05d.parquet", version, runId, i));
            if (!fs.rename(written[i].getPath(), target)) {
                throw new IOException("could not rename " + written[i].getPath() + " to " + target);
            }
            renamed.add(fs.getFileStatus(target));
            if (i == 0) {
                faults.reached(CompactionStep.RENAMING, partition);
            }
        }
        fs.delete(work, true);
        faults.reached(CompactionStep.RENAMED, partition);
        CompactionVerifier.Totals actual = new CompactionVerifier.Totals(footers.rowCount(renamed), eventSum(renamed, tier));
        if (!actual.equals(expected)) {
            for (FileStatus file : renamed) {
                fs.delete(file.getPath(), false); // never listed by a manifest: no reader can be using it
            }
            throw new CompactionVerifier.VerificationFailedException("building " + partition + " v" + version
                    + " does not match its input: expected " + expected.rows() + " rows / " + expected.events()
                    + " events, wrote " + actual.rows() + " rows / " + actual.events() + " events");
        }
        faults.reached(CompactionStep.VERIFIED, partition);
        tier.publish(partition, new TierManifest(version, renamed.stream().map(f -> f.getPath().getName()).toList(),
                sources, actual.rows(), actual.events(), clock.millis(), false));
        faults.reached(CompactionStep.PUBLISHED, partition);
        TierBuild done = new TierBuild(partition, version, sources, renamed.size(), actual.rows(), actual.events(),
                Duration.ofNanos(System.nanoTime() - startedNanos));
        LOG.info("built {} v{} from {} source(s): {} rows, {} events, {} ms", partition, version, sources.size(),
                done.rows(), done.events(), done.took().toMillis());
        return done;
    }

    /** The finer rows with each window widened to the tier's; the partition columns follow (daily: hour 0). */
    static Dataset<Row> rewindow(Dataset<Row> finer, Tier tier) {
        Dataset<Row> rows = finer
                .withColumn(MeasurementsSchema.WINDOW_START, date_trunc(tier.truncUnit(), col(MeasurementsSchema.WINDOW_START)))
                .withColumn(MeasurementsSchema.WINDOW_END, col(MeasurementsSchema.WINDOW_START)
                        .plus(expr("INTERVAL " + tier.window().toSeconds() + " SECONDS")));
        return tier == Tier.DAILY ? rows.withColumn("hour", lit(0)) : rows;
    }

    /** Distinct keys and the event_count sum of the widened rows: what the partition must hold. */
    private static CompactionVerifier.Totals totals(Dataset<Row> rewindowed) {
        Column[] key = MeasurementsSchema.KEY.stream().map(functions::col).toArray(Column[]::new);
        Row row = rewindowed.agg(functions.countDistinct(key[0], Arrays.copyOfRange(key, 1, key.length)),
                functions.sum(MeasurementsSchema.EVENT_COUNT)).first();
        return new CompactionVerifier.Totals(row.getLong(0), row.isNullAt(1) ? 0 : row.getLong(1));
    }

    private long eventSum(List<FileStatus> files, TierStore tier) {
        if (files.isEmpty()) {
            return 0;
        }
        Row row = session.read().schema(tier.tier().fileSchema())
                .parquet(files.stream().map(f -> f.getPath().toString()).toArray(String[]::new))
                .agg(functions.sum(MeasurementsSchema.EVENT_COUNT)).first();
        return row.isNullAt(0) ? 0 : row.getLong(0);
    }

    /** The 5-minute rows of some hours, from their current manifests' files, with partition columns. */
    private Dataset<Row> readHours(Set<String> hourPaths) throws IOException {
        SortedMap<HourPartition, HourManifest> manifests = store.currentManifests();
        List<String> files = new ArrayList<>();
        for (String path : hourPaths) {
            HourPartition hour = HourPartition.fromRelativePath(path).orElseThrow();
            for (String file : manifests.get(hour).files()) {
                files.add(new Path(store.warehouseHourDir(hour), file).toString());
            }
        }
        return session.read().schema(MeasurementsSchema.WITH_PARTITIONS).option("basePath", store.warehouseRoot().toString())
                .parquet(files.toArray(String[]::new)).select(MeasurementsSchema.allColumns());
    }

    /** The hourly rows of some days, from their current manifests' files, with partition columns. */
    private Dataset<Row> readDays(Set<String> dayPaths, SortedMap<TierPartition, TierManifest> days) {
        List<String> files = new ArrayList<>();
        for (String path : dayPaths) {
            TierPartition day = TierPartition.fromRelativePath(Tier.HOURLY, path).orElseThrow();
            for (String file : days.get(day).files()) {
                files.add(new Path(hourly.partitionDir(day), file).toString());
            }
        }
        return session.read().schema(Tier.HOURLY.readSchema()).option("basePath", hourly.root().toString())
                .parquet(files.toArray(String[]::new)).select(MeasurementsSchema.allColumns());
    }
}
