package org.iotpipeline.etl.compaction;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.iotpipeline.store.MeasurementsStore;

/**
 * The Spark part of compacting an hour: reads the input files with the explicit schema, sorts by
 * device, metric and window, and writes at most {@link HourPlan#maxOutputFiles()} Parquet files
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
        this.session = session;
        this.store = store;
        this.settings = settings;
        this.faults = faults;
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
            read(plan.inputFiles())
                    .repartitionByRange(plan.maxOutputFiles(), MeasurementColumns.sortColumns())
                    .sortWithinPartitions(MeasurementColumns.sortColumns())
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

    /** The sum of event_count over some files (reads that one column). */
    long eventCountSum(List<FileStatus> files) {
        if (files.isEmpty()) {
            return 0;
        }
        Row row = read(files).agg(functions.sum(MeasurementColumns.EVENT_COUNT)).first();
        return row.isNullAt(0) ? 0 : row.getLong(0);
    }

    private Dataset<Row> read(List<FileStatus> files) {
        String[] paths = files.stream().map(file -> file.getPath().toString()).toArray(String[]::new);
        return session.read().schema(MeasurementColumns.SCHEMA).parquet(paths).select(MeasurementColumns.allColumns());
    }

    /** {@code part-c<version>-<runId>-<n>.parquet}: unique, and says which manifest version it was written for. */
    static String finalName(long version, String runId, int index) {
        return String.format(java.util.Locale.ROOT, "part-c%010d-%s-%05d.parquet", version, runId, index);
    }
}
