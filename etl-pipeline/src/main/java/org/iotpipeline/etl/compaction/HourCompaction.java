package org.iotpipeline.etl.compaction;

import java.time.Duration;
import org.iotpipeline.store.HourPartition;

/**
 * One hour compacted (or, in a dry run, planned: then rows, events and bytesOut are unknown, -1,
 * and filesOut is the most files the hour may become).
 *
 * @param hour               the hour
 * @param version            the manifest version published (or to be published)
 * @param warehouseFilesIn   files of the previous version merged in
 * @param stagingFilesIn     staging files absorbed
 * @param bytesIn            bytes of all input files
 * @param filesOut           files written
 * @param bytesOut           bytes written
 * @param rows               rows in the new version, verified from footers
 * @param events             sum of event_count in the new version, verified
 * @param took               wall time of the hour
 */
public record HourCompaction(HourPartition hour, long version, int warehouseFilesIn, int stagingFilesIn, long bytesIn,
                             int filesOut, long bytesOut, long rows, long events, Duration took) {

    public int filesIn() {
        return warehouseFilesIn + stagingFilesIn;
    }

    static HourCompaction planned(HourPlan plan) {
        return new HourCompaction(plan.hour(), plan.nextVersion(), plan.previousFiles().size(),
                plan.newStagingFiles().size(), plan.inputBytes(), plan.maxOutputFiles(), -1, -1, -1, Duration.ZERO);
    }
}
