package org.iotpipeline.etl.compaction;

/**
 * The points in the compaction of one hour where a {@link FaultInjector} is consulted, in order.
 * Each is a place where a real process may die; docs/compaction.md says why dying there is safe.
 */
public enum CompactionStep {
    /** Spark has written the new files under the hidden temporary directory; none renamed yet. */
    WRITTEN_HIDDEN,
    /** The first new file got its final (visible, but unlisted) name; the others not yet. */
    RENAMING,
    /** Every new file has its final name; nothing verified yet. */
    RENAMED,
    /** Row count and event_count sum are verified; the manifest is not published yet. */
    VERIFIED,
    /** The new manifest is published; nothing superseded is deleted yet. */
    PUBLISHED,
    /** Clean-up has deleted its first superseded or leftover file of the hour; more may follow. */
    DELETING
}
