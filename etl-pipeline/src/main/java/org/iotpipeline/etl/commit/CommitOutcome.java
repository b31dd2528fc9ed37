package org.iotpipeline.etl.commit;

/**
 * What one call of {@link BatchCommitter#commit} did.
 *
 * @param output     the output's name (e.g. "measurements")
 * @param skipped    the batch had been committed before (a replay); nothing was written
 * @param rows       rows committed now (0 when skipped)
 * @param files      files committed now (0 when skipped)
 * @param millis     wall time of the call
 * @param state      the state recorded with the batch (also when skipped: the recorded one); null for stateless outputs
 * @param lateEvents events committed now into windows that were already final
 */
public record CommitOutcome(String output, long batchId, boolean skipped, long rows, int files, long millis,
                            StreamState state, long lateEvents) {
}
