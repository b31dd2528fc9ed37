package org.iotpipeline.etl.commit;

import java.io.IOException;
import org.apache.hadoop.fs.Path;

/**
 * What one micro-batch writes, as {@link BatchCommitter} drives it. An implementation wraps the
 * micro-batch's Dataset; it must run the streaming plan of the batch exactly once, in either
 * {@link #write} or {@link #discard} (a stateful query commits its state stores in that run).
 */
public interface BatchOutput {

    /**
     * Writes the batch's data files, partitioned as the output's layout says, under
     * {@code outputDir} (which may stay absent when there is nothing to write). Nothing written
     * there is visible to readers; the committer moves the files into place afterwards.
     *
     * @param scratchDir a hidden directory for intermediate results, deleted after the commit
     * @param previous   the state the previous committed batch recorded ({@link StreamState#INITIAL} if none)
     */
    Written write(long batchId, Path outputDir, Path scratchDir, StreamState previous) throws IOException;

    /** Runs the batch without output: it was committed before (a replay). */
    void discard();

    /**
     * Called once the batch's commit marker is written (or found, for a replay): what may only be
     * published after the commit, e.g. a pointer readers follow. Must be idempotent.
     *
     * @param state the state the marker records (null for stateless outputs)
     */
    default void committed(long batchId, StreamState state) throws java.io.IOException {
    }

    /**
     * @param rows       rows in the data files written
     * @param state      the state after this batch, recorded in the commit marker (null for stateless outputs)
     * @param lateEvents events of the batch that belong to windows already final (counted in late rows)
     */
    record Written(long rows, StreamState state, long lateEvents) {
    }
}
