package org.iotpipeline.etl.commit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the output of each micro-batch exactly once, keyed by Spark's batch id, for use in
 * {@code foreachBatch}. Spark's own file sink is not used.
 *
 * <h2>Guarantee</h2>
 * Whatever point the process dies at, and however often Spark re-runs a batch from its checkpoint,
 * every row of every batch ends up in exactly one visible file, and every visible file is complete:
 * <ul>
 *   <li><b>Atomic files.</b> Files are written by Spark under the hidden directory
 *       {@code <root>/_tmp/batch-<id>/} and then renamed, one by one, to their final name
 *       {@code <partition dirs>/part-b<id>-<n><ext>}. Readers skip names starting with {@code _} or
 *       {@code .}, so they never see a half-written file.</li>
 *   <li><b>A committed batch is never written again.</b> The last step writes the commit marker
 *       {@code <root>/_batches/<id>.json} (listing the files) atomically (temporary name, then
 *       rename). A replay of a batch whose marker exists is skipped. Spark does not promise the
 *       same rows on a replay, so overwriting files of the same name would not be enough.</li>
 *   <li><b>An interrupted attempt leaves nothing behind.</b> Before any file becomes visible, the
 *       list of final paths is saved as {@code <root>/_batches/<id>.pending.json}. A new attempt of
 *       the batch first deletes every file that list names and the temporary directory, then
 *       writes afresh.</li>
 * </ul>
 * Spark re-runs only its latest uncommitted batch, with the same id, so a batch that died between
 * steps is always retried before anything newer is written. While such a retry runs, readers may
 * briefly see part of that batch (some files placed, others not yet), never a row twice.
 *
 * <p>A skipped replay still runs the micro-batch once, into Spark's {@code noop} sink: a stateful
 * query must commit its state store version for every batch it runs (Spark 4.2 checks this), and
 * only the output is already on storage.
 *
 * <p>Each batch runs exactly one Spark job over the micro-batch (the write, or the noop run of a
 * skipped replay); the row count comes from an {@link Observation} of that same job.
 */
public final class BatchCommitter {

    private static final Logger log = LoggerFactory.getLogger(BatchCommitter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OutputLayout layout;
    private final Configuration hadoopConf;
    private final FaultInjector faults;

    public BatchCommitter(OutputLayout layout, Configuration hadoopConf, FaultInjector faults) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.hadoopConf = Objects.requireNonNull(hadoopConf, "hadoopConf");
        this.faults = Objects.requireNonNull(faults, "faults");
    }

    public OutputLayout layout() {
        return layout;
    }

    /**
     * Commits one micro-batch (see the class comment for the protocol and its guarantee).
     *
     * @throws UncheckedIOException if storage fails; the query then stops and the batch is retried on restart
     */
    public CommitOutcome commit(Dataset<Row> batch, long batchId) {
        long started = System.nanoTime();
        try {
            FileSystem fs = root().getFileSystem(hadoopConf);
            Path root = fs.makeQualified(root());
            Path marker = new Path(root, "_batches/" + id(batchId) + ".json");
            Path pending = new Path(root, "_batches/" + id(batchId) + ".pending.json");
            Path temp = new Path(root, "_tmp/batch-" + id(batchId));

            if (fs.exists(marker)) {
                log.info("{}: batch {} was committed before ({}); running its replay without output", layout.name(),
                        batchId, marker);
                batch.write().format("noop").mode(SaveMode.Overwrite).save();
                // The files the pending list names are the committed ones now: drop only the list.
                fs.delete(pending, false);
                fs.delete(temp, true);
                return new CommitOutcome(layout.name(), batchId, true, 0, 0, elapsedMillis(started));
            }
            removeLeftovers(fs, root, pending, temp);

            long rows = write(batch, temp);
            List<Placement> placements = plan(fs, root, temp, batchId);
            List<String> files = placements.stream().map(p -> relative(root, p.target())).toList();
            writeAtomically(fs, pending, new BatchManifest(batchId, rows, files, null));
            faults.reached(CommitStep.WRITTEN_TO_TEMP, batchId);

            for (int i = 0; i < placements.size(); i++) {
                place(fs, placements.get(i));
                if (i == 0) {
                    faults.reached(CommitStep.FIRST_FILE_PLACED, batchId);
                }
            }
            faults.reached(CommitStep.ALL_FILES_PLACED, batchId);

            writeAtomically(fs, marker, new BatchManifest(batchId, rows, files, Instant.now().toString()));
            faults.reached(CommitStep.COMMITTED, batchId);

            fs.delete(pending, false);
            fs.delete(temp, true);
            fs.delete(new Path(root, "_batches/" + id(batchId - layout.markersToRetain()) + ".json"), false);
            long millis = elapsedMillis(started);
            log.debug("{}: committed batch {} with {} rows in {} files in {} ms", layout.name(), batchId, rows,
                    files.size(), millis);
            return new CommitOutcome(layout.name(), batchId, false, rows, files.size(), millis);
        } catch (IOException e) {
            throw new UncheckedIOException(layout.name() + ": committing batch " + batchId + " under " + layout.root()
                    + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes what an uncommitted earlier attempt of this batch may have left: the files it placed,
     * its pending list, its temporary directory. Only ever called when the batch has no marker.
     */
    private void removeLeftovers(FileSystem fs, Path root, Path pending, Path temp) throws IOException {
        if (fs.exists(pending)) {
            BatchManifest earlier = read(fs, pending);
            int removed = 0;
            for (String file : earlier.files()) {
                if (fs.delete(new Path(root, file), false)) {
                    removed++;
                }
            }
            log.warn("{}: batch {} was interrupted before it committed; removed {} of its {} placed file(s) to redo it",
                    layout.name(), earlier.batchId(), removed, earlier.files().size());
            fs.delete(pending, false);
        }
        fs.delete(temp, true);
    }

    /** The one Spark job of the batch: writes it under {@code temp}; returns the rows written. */
    private long write(Dataset<Row> batch, Path temp) {
        Observation written = new Observation("written");
        Column[] spread = layout.spreadColumns().stream().map(functions::col).toArray(Column[]::new);
        batch.repartition(layout.filesPerPartition(), spread)
                .observe(written, functions.count(functions.lit(1)).as("rows"))
                .write()
                .mode(SaveMode.Overwrite)
                .format(layout.format())
                .partitionBy(layout.partitionColumns().toArray(String[]::new))
                .save(temp.toString());
        try {
            // The write has finished, so the observation is already complete: this does not wait.
            Map<String, Object> metrics = written.getAsJava();
            return ((Number) metrics.get("rows")).longValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the row count of " + temp, e);
        }
    }

    /** Final names for every data file under {@code temp}, in a stable order. */
    private List<Placement> plan(FileSystem fs, Path root, Path temp, long batchId) throws IOException {
        List<Path> sources = new ArrayList<>();
        if (fs.exists(temp)) {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(temp, true);
            while (it.hasNext()) {
                LocatedFileStatus status = it.next();
                String name = status.getPath().getName();
                if (status.isFile() && !isHidden(name) && !hasHiddenDirectory(temp, status.getPath())) {
                    sources.add(status.getPath());
                }
            }
        }
        sources.sort(null);
        List<Placement> placements = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            Path source = sources.get(i);
            String partitionDirs = relative(temp, source.getParent());
            Path dir = partitionDirs.isEmpty() ? root : new Path(root, partitionDirs);
            placements.add(new Placement(source, new Path(dir, "part-b" + id(batchId) + "-" + String.format(java.util.Locale.ROOT, "%05d", i)
                    + layout.extension())));
        }
        return placements;
    }

    private static void place(FileSystem fs, Placement placement) throws IOException {
        fs.mkdirs(placement.target().getParent());
        if (!fs.rename(placement.source(), placement.target())) {
            throw new IOException("could not rename " + placement.source() + " to " + placement.target()
                    + " (does the target exist already?)");
        }
    }

    /** Writes a small JSON file so that it appears complete or not at all. */
    private static void writeAtomically(FileSystem fs, Path target, BatchManifest manifest) throws IOException {
        Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try (OutputStream out = fs.create(temp, true)) {
            JSON.writerWithDefaultPrettyPrinter().writeValue(out, manifest);
        }
        fs.delete(target, false);
        if (!fs.rename(temp, target)) {
            throw new IOException("could not rename " + temp + " to " + target);
        }
    }

    private static BatchManifest read(FileSystem fs, Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            return JSON.readValue(in, BatchManifest.class);
        }
    }

    private Path root() {
        return new Path(layout.root());
    }

    private static boolean hasHiddenDirectory(Path base, Path file) {
        for (String part : relative(base, file.getParent()).split("/")) {
            if (!part.isEmpty() && isHidden(part)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHidden(String name) {
        return name.startsWith("_") || name.startsWith(".");
    }

    /** {@code child} relative to {@code base} ("" when equal); both qualified. */
    private static String relative(Path base, Path child) {
        String b = base.toUri().getPath();
        String c = child.toUri().getPath();
        if (c.equals(b)) {
            return "";
        }
        if (!c.startsWith(b + "/")) {
            throw new IllegalStateException(child + " is not under " + base);
        }
        return c.substring(b.length() + 1);
    }

    static String id(long batchId) {
        return String.format(java.util.Locale.ROOT, "%09d", batchId);
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private record Placement(Path source, Path target) {
    }
}
