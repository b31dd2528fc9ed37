package org.iotpipeline.etl.commit;

/** Points in {@link BatchCommitter#commit} where a {@link FaultInjector} may stop a commit. */
public enum CommitStep {
    /** The batch is written under the hidden temporary directory and the pending list is saved; nothing is visible yet. */
    WRITTEN_TO_TEMP,
    /** The first file was renamed into its partition: readers may see part of the batch. */
    FIRST_FILE_PLACED,
    /** Every file is in place; the commit marker is not written yet. */
    ALL_FILES_PLACED,
    /** The commit marker is written: the batch is committed, Spark has not recorded it yet. */
    COMMITTED
}
