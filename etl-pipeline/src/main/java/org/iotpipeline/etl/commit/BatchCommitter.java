package org.iotpipeline.etl.commit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
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
 *       {@code <partition dirs>/part-b<id>-<attempt>-<n><ext>}, where {@code <attempt>} is random
 *       per attempt of the batch, so a redone batch never overwrites a file of an earlier attempt
 *       (each must be removed, step 2, or it would be counted twice). Readers skip names starting
 *       with {@code _} or {@code .}, so they never see a half-written file.</li>
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
 * <p>A skipped replay still runs the micro-batch once, without output ({@link BatchOutput#discard}):
 * a stateful query must commit its state store version for every batch it runs (Spark 4.2 checks
 * this), and only the output is already on storage.
 *
 * <p><b>State from batch to batch.</b> A stateful output ({@link StreamState}: the watermark and
 * the open windows) gets the state the previous committed batch recorded and returns the next,
 * which is saved in this batch's commit marker. State and files are therefore committed in one
 * step: a redone batch starts again from the previous marker's state, and whatever an interrupted
 * attempt wrote elsewhere (its open-window snapshot) is named by no marker and is simply redone.
 */
public final class BatchCommitter {

    private static final Logger log = LoggerFactory.getLogger(BatchCommitter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARKERS = "_batches/";

    private final OutputLayout layout;
    private final Configuration hadoopConf;
    private final FaultInjector faults;
    /** The newest marker this committer wrote or read; Spark calls {@link #commit} from one thread at a time. */
    private volatile BatchManifest lastCommitted;

    public BatchCommitter(OutputLayout layout, Configuration hadoopConf, FaultInjector faults) {
        this.layout = Objects.requireNonNull(layout, "layout is null");
        this.hadoopConf = Objects.requireNonNull(hadoopConf, "hadoopConf is null");
        this.faults = Objects.requireNonNull(faults, "faults is null");
    }

    public OutputLayout layout() {
        return layout;
    }

    /**
     * Commits one micro-batch (see the class comment for the protocol and its guarantee).
     *
     * @param output writes the batch (or, for a replay of a committed batch, runs it without output)
     * @throws UncheckedIOException if storage fails; the query then stops and the batch is retried on restart
     */
    public CommitOutcome commit(long batchId, BatchOutput output) {
        long started = System.nanoTime();
        try {
            FileSystem fs = root().getFileSystem(hadoopConf);
            Path root = fs.makeQualified(root());
            Path marker = markerPath(root, batchId);
            Path pending = new Path(root, MARKERS + id(batchId) + ".pending.json");
            Path temp = new Path(root, "_tmp/batch-" + id(batchId));

            if (fs.exists(marker)) {
                log.info("{}: batch {} was committed before ({}); running its replay without output", layout.name(),
                        batchId, marker);
                output.discard();
                // The files the pending list names are the committed ones now: drop only the list.
                fs.delete(pending, false);
                fs.delete(temp, true);
                BatchManifest committed = read(fs, marker);
                lastCommitted = committed;
                output.committed(batchId, committed.state()); // it may have died before publishing
                return new CommitOutcome(layout.name(), batchId, true, 0, 0, elapsedMillis(started), committed.state(), 0);
            }
            removeLeftovers(fs, root, pending, temp);

            StreamState previous = previousState(fs, root, batchId);
            Path outputDir = new Path(temp, "out");
            BatchOutput.Written written = output.write(batchId, outputDir, new Path(temp, "scratch"), previous);
            String attempt = UUID.randomUUID().toString().substring(0, 8);
            List<Placement> placements = plan(fs, root, outputDir, batchId, attempt);
            List<String> files = placements.stream().map(p -> relative(root, p.target())).toList();
            writeAtomically(fs, pending, new BatchManifest(batchId, written.rows(), files, null, null));
            faults.reached(CommitStep.WRITTEN_TO_TEMP, batchId);

            for (int i = 0; i < placements.size(); i++) {
                place(fs, placements.get(i));
                if (i == 0) {
                    faults.reached(CommitStep.FIRST_FILE_PLACED, batchId);
                }
            }
            faults.reached(CommitStep.ALL_FILES_PLACED, batchId);

            BatchManifest committed = new BatchManifest(batchId, written.rows(), files, Instant.now().toString(),
                    written.state());
            writeAtomically(fs, marker, committed);
            lastCommitted = committed;
            faults.reached(CommitStep.COMMITTED, batchId);
            output.committed(batchId, written.state());

            fs.delete(pending, false);
            fs.delete(temp, true);
            fs.delete(markerPath(root, batchId - layout.markersToRetain()), false);
            long millis = elapsedMillis(started);
            log.debug("{}: committed batch {} with {} rows in {} files in {} ms", layout.name(), batchId,
                    written.rows(), files.size(), millis);
            return new CommitOutcome(layout.name(), batchId, false, written.rows(), files.size(), millis,
                    written.state(), written.lateEvents());
        } catch (IOException e) {
            throw new UncheckedIOException(layout.name() + ": committing batch " + batchId + " under " + layout.root()
                    + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The state the newest committed batch before {@code batchId} recorded. Spark runs batch
     * {@code b} only after {@code b - 1} completed, so that is normally {@code b - 1}'s marker
     * (kept in memory); after a restart it is found among the markers.
     */
    private StreamState previousState(FileSystem fs, Path root, long batchId) throws IOException {
        BatchManifest known = lastCommitted;
        if (known != null && known.batchId() == batchId - 1) {
            return stateOf(known);
        }
        Path markers = new Path(root, MARKERS);
        if (!fs.exists(markers)) {
            return StreamState.INITIAL;
        }
        long newest = -1;
        for (FileStatus status : fs.listStatus(markers)) {
            long id = markerId(status.getPath().getName());
            if (id >= 0 && id < batchId && id > newest) {
                newest = id;
            }
        }
        if (newest < 0) {
            return StreamState.INITIAL;
        }
        BatchManifest found = read(fs, markerPath(root, newest));
        lastCommitted = found;
        return stateOf(found);
    }

    private static StreamState stateOf(BatchManifest manifest) {
        return manifest.state() == null ? StreamState.INITIAL : manifest.state();
    }

    /** The batch id of a commit marker's file name ({@code 000000042.json}), or -1 for any other name. */
    static long markerId(String name) {
        if (!name.endsWith(".json") || name.endsWith(".pending.json") || name.startsWith(".")) {
            return -1;
        }
        String digits = name.substring(0, name.length() - ".json".length());
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
    }

    private static Path markerPath(Path root, long batchId) {
        return new Path(root, MARKERS + id(batchId) + ".json");
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

    /** Final names for every data file under {@code temp}, in a stable order. */
    private List<Placement> plan(FileSystem fs, Path root, Path temp, long batchId, String attempt) throws IOException {
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
            placements.add(new Placement(source, new Path(dir, "part-b" + id(batchId) + "-" + attempt + "-"
                    + String.format(Locale.ROOT, "%05d", i) + layout.extension())));
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
        return String.format(Locale.ROOT, "%09d", batchId);
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private record Placement(Path source, Path target) {
    }
}
