package org.iotpipeline.etl.progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link ProgressSnapshot} in one small JSON file next to the checkpoints (any Hadoop URI),
 * replaced atomically (temporary name, then rename).
 *
 * <p>Losing the last update is harmless: the snapshot only ever lags, and a lagging snapshot makes
 * the idle heartbeat close fewer windows, never too many.
 */
public final class ProgressStore {

    private static final Logger log = LoggerFactory.getLogger(ProgressStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Configuration hadoopConf;

    public ProgressStore(String file, Configuration hadoopConf) {
        this.file = new Path(Objects.requireNonNull(file, "file is null"));
        this.hadoopConf = Objects.requireNonNull(hadoopConf, "hadoopConf is null");
    }

    /** The saved snapshot, or {@link ProgressSnapshot#EMPTY} if there is none or it cannot be read (logged). */
    public ProgressSnapshot load() {
        try {
            FileSystem fs = file.getFileSystem(hadoopConf);
            if (!fs.exists(file)) {
                return ProgressSnapshot.EMPTY;
            }
            try (InputStream in = fs.open(file)) {
                return JSON.readValue(in, ProgressSnapshot.class);
            }
        } catch (IOException e) {
            log.warn("Could not read the saved progress {} ({}); starting without it", file, e.getMessage());
            return ProgressSnapshot.EMPTY;
        }
    }

    /** Saves the snapshot; a failure is logged and otherwise ignored (see the class comment). */
    public void save(ProgressSnapshot snapshot) {
        try {
            FileSystem fs = file.getFileSystem(hadoopConf);
            Path temp = new Path(file.getParent(), "." + file.getName() + ".tmp");
            try (OutputStream out = fs.create(temp, true)) {
                JSON.writeValue(out, snapshot);
            }
            fs.delete(file, false);
            if (!fs.rename(temp, file)) {
                throw new IOException("could not rename " + temp + " to " + file);
            }
        } catch (IOException e) {
            log.warn("Could not save progress to {}: {}", file, e.getMessage());
        }
    }
}
