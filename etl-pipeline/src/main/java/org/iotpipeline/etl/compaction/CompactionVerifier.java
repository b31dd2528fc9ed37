package org.iotpipeline.etl.compaction;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.iotpipeline.store.HourManifest;

/**
 * The check that comes before any publish: the new files hold exactly the table rows of their
 * inputs — one row per distinct (window, device, metric) key of the inputs, and the same sum of
 * event_count. Row counts of written files come from the Parquet footers (parquet-hadoop, no
 * Spark); keys and sums are read from those columns.
 */
final class CompactionVerifier {

    private final FileSystem fs;
    private final ParquetFooters footers;
    private final HourRewriter rewriter;

    CompactionVerifier(FileSystem warehouseFs, ParquetFooters footers, HourRewriter rewriter) {
        this.fs = Objects.requireNonNull(warehouseFs, "warehouseFs is null");
        this.footers = Objects.requireNonNull(footers, "footers is null");
        this.rewriter = Objects.requireNonNull(rewriter, "rewriter is null");
    }

    /**
     * What the compacted hour must hold: a row per distinct key of all inputs (the previous
     * manifest's files, whose footers must agree with what it recorded, and the new staging
     * files), and their event_count sum.
     */
    Totals expected(HourPlan plan) throws IOException {
        if (plan.previous().isPresent()) {
            long previousRows = footers.rowCount(plan.previousFiles());
            HourManifest previous = plan.previous().get();
            if (previousRows != previous.rowCount()) {
                throw new IOException("warehouse hour " + plan.hour() + " is inconsistent: manifest v" + previous.version()
                        + " records " + previous.rowCount() + " rows but its files hold " + previousRows);
            }
        }
        return rewriter.totals(plan.inputFiles());
    }

    /**
     * Verifies the written files against {@code expected}.
     *
     * @return the totals of the written files (equal to {@code expected})
     * @throws VerificationFailedException if rows or the event_count sum differ
     */
    Totals verify(HourPlan plan, Totals expected, List<FileStatus> written) throws IOException {
        // Stat again: what counts is the files as they are now, not as they were renamed.
        List<FileStatus> current = new ArrayList<>();
        for (FileStatus file : written) {
            current.add(fs.getFileStatus(file.getPath()));
        }
        Totals actual = new Totals(footers.rowCount(current), rewriter.totals(current).events());
        if (!actual.equals(expected)) {
            throw new VerificationFailedException("compaction of " + plan.hour() + " v" + plan.nextVersion()
                    + " does not match its input: expected " + expected.rows() + " rows / " + expected.events()
                    + " events, wrote " + actual.rows() + " rows / " + actual.events() + " events");
        }
        return actual;
    }

    /** Rows and sum of event_count. */
    record Totals(long rows, long events) {
    }

    /** The compacted copy differs from its input; it was not published. */
    static final class VerificationFailedException extends IOException {
        private static final long serialVersionUID = 1L;

        VerificationFailedException(String message) {
            super(message);
        }
    }
}
