package org.iotpipeline.etl.progress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Guards the checkpoint directory against a plan it was not written for. The measurements query
 * of format 2 (late events stored, watermark in the commit markers, open windows in the live
 * area) cannot continue a checkpoint of format 1 (Spark's windowed aggregation): Spark would
 * refuse the changed plan with an obscure error, or the open windows of the old state would be
 * lost. So the service writes {@code <checkpoint>/FORMAT} on the first start and refuses to start
 * on a checkpoint without it, saying what to do.
 */
public final class CheckpointFormat {

    /** The format this code writes. */
    public static final int CURRENT = 2;
    static final String FILE = "FORMAT";

    private CheckpointFormat() {
    }

    /**
     * Checks (and on a fresh checkpoint records) the format.
     *
     * @throws IllegalStateException naming the directory and the way out, if the checkpoint is of another format
     */
    public static void check(String checkpointRoot, String measurementsCheckpoint, Configuration conf) {
        Path root = new Path(checkpointRoot);
        Path marker = new Path(root, FILE);
        try {
            FileSystem fs = root.getFileSystem(conf);
            if (fs.exists(marker)) {
                int found = read(fs, marker);
                if (found != CURRENT) {
                    throw refused(checkpointRoot, "format " + found);
                }
                return;
            }
            if (fs.exists(new Path(measurementsCheckpoint, "offsets"))) {
                throw refused(checkpointRoot, "format 1 (written before late events were stored)");
            }
            fs.mkdirs(root);
            try (OutputStream out = fs.create(marker, true)) {
                out.write(Integer.toString(CURRENT).getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check the checkpoint format at " + marker + ": " + e.getMessage(), e);
        }
    }

    private static int read(FileSystem fs, Path marker) throws IOException {
        try (InputStream in = fs.open(marker)) {
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IOException(marker + " holds '" + text + "', not a format number", e);
            }
        }
    }

    private static IllegalStateException refused(String checkpointRoot, String found) {
        return new IllegalStateException("the checkpoint at " + checkpointRoot + " is of " + found
                + "; this version needs format " + CURRENT + ". Staging and warehouse data stay valid. Either start"
                + " from an empty data directory, or move the checkpoint away and start with"
                + " ETL_STARTING_OFFSETS=latest (events not yet processed by the old version are then skipped)");
    }
}
