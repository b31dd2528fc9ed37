package org.iotpipeline.etl.compaction;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.iotpipeline.store.MeasurementsSchema;
import org.iotpipeline.store.MeasurementsStore;
import org.iotpipeline.store.Rollups;

/**
 * The Spark part of compacting an hour: reads the input files with the explicit schema, folds the
 * rows of each (window, device, metric) into one ({@link Rollups#merge}: a final row and the late
 * rows added to it later become one row), sorts by device, metric and window, and writes at most {@link HourPlan#maxOutputFiles()} Parquet files
 * (TIMESTAMP_MICROS) into the warehouse hour. Spark writes them inside a hidden directory of the
 * hour; each is then renamed to its final, unique name, so a file is either complete or absent
 * under a visible name. Visible is not listed: until a manifest names them, readers ignore them.
 */
final class HourRewriter {

    /** Prefix of the hidden directory a compaction writes into; leftovers are removed after the grace. */
    static final String WORK_DIR_PREFIX = "_compacting-";

    private final SparkSession session;
    private final MeasurementsStore store;
    private final CompactionSettings settings;
    private final FaultInjector faults;

    /**
     * @param session a session of its own (see {@link Compactor}): its SQL settings fix the output
     *                format whatever the caller's session says
     */
    HourRewriter(SparkSession session, MeasurementsStore store, CompactionSettings settings, FaultInjector faults) {
        this.session = Objects.requireNonNull(session, "session is null");
        this.store = Objects.requireNonNull(store, "store is null");
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.faults = Objects.requireNonNull(faults, "faults is null");
    }

    /**
     * Writes the hour's new files and gives them their final names.
     *
     * @param runId unique per attempt, so no two attempts ever produce the same file name
     * @return the new files, in the warehouse hour directory, not yet listed by any manifest
     */
    List<FileStatus> rewrite(HourPlan plan, String runId) throws IOException {
        FileSystem fs = store.warehouseFileSystem();
        Path hourDir = store.warehouseHourDir(plan.hour());
        Path workDir = new Path(hourDir, WORK_DIR_PREFIX + "c" + plan.nextVersion() + "-" + runId);
        session.sparkContext().setJobDescription("compaction of " + plan.hour() + " v" + plan.nextVersion());
        try {
            Rollups.merge(read(plan.inputFiles()), false)
                    .repartitionByRange(plan.maxOutputFiles(), MeasurementsSchema.sortColumns())
                    .sortWithinPartitions(MeasurementsSchema.sortColumns())
                    .write()
                    .mode(SaveMode.ErrorIfExists)
                    .option("compression", settings.compression())
                    .option("parquet.block.size", Long.toString(settings.rowGroupSize()))
                    .parquet(workDir.toString());
        } finally {
            session.sparkContext().setJobDescription(null);
        }
        faults.reached(CompactionStep.WRITTEN_HIDDEN, plan.hour());

        FileStatus[] written = fs.listStatus(workDir, path -> MeasurementsStore.isDataFileName(path.getName()));
        Arrays.sort(written, Comparator.comparing(status -> status.getPath().getName()));
        if (written.length > plan.maxOutputFiles()) {
            throw new IOException("compaction of " + plan.hour() + " wrote " + written.length + " files, more than the "
                    + plan.maxOutputFiles() + " planned");
        }
        List<FileStatus> renamed = new ArrayList<>();
        for (int i = 0; i < written.length; i++) {
            Path target = new Path(hourDir, finalName(plan.nextVersion(), runId, i));
            if (!fs.rename(written[i].getPath(), target)) {
                throw new IOException("could not rename " + written[i].getPath() + " to " + target);
            }
            renamed.add(fs.getFileStatus(target));
            if (i == 0) {
                faults.reached(CompactionStep.RENAMING, plan.hour());
            }
        }
        fs.delete(workDir, true); // only _SUCCESS and checksums are left in it
        return renamed;
    }

    /**
     * What some files hold as table rows: the number of distinct (window, device, metric) keys and
     * the sum of event_count (one Spark job reading those columns).
     */
    CompactionVerifier.Totals totals(List<FileStatus> files) {
        if (files.isEmpty()) {
            return new CompactionVerifier.Totals(0, 0);
        }
        Column[] key = MeasurementsSchema.KEY.stream().map(functions::col).toArray(Column[]::new);
        Row row = read(files).agg(functions.countDistinct(key[0], java.util.Arrays.copyOfRange(key, 1, key.length)),
                functions.sum(MeasurementsSchema.EVENT_COUNT)).first();
        return new CompactionVerifier.Totals(row.getLong(0), row.isNullAt(1) ? 0 : row.getLong(1));
    }

    private Dataset<Row> read(List<FileStatus> files) {
        String[] paths = files.stream().map(file -> file.getPath().toString()).toArray(String[]::new);
        return session.read().schema(MeasurementsSchema.DATA).parquet(paths).select(MeasurementsSchema.dataColumns());
    }

    /** {@code part-c<version>-<runId>-<n>.parquet}: unique, and says which manifest version it was written for. */
    static String finalName(long version, String runId, int index) {
        return String.format(Locale.ROOT, "part-c%010d-%s-%05d.parquet", version, runId, index);
    }
}
