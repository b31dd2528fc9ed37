package org.iotpipeline.etl.compaction;

/**
 * What one clean-up pass deleted (or, in a dry run, would delete).
 *
 * @param stagingFiles     staging files a manifest had absorbed, deleted after the grace
 * @param warehouseFiles   warehouse data files no current manifest lists (superseded versions and
 *                         files of crashed attempts), deleted after the grace
 * @param manifests        superseded manifest versions
 * @param workDirectories  hidden leftovers of crashed attempts (work directories, manifest temporaries)
 * @param stagingHourDirs  empty staging hour directories of compacted hours
 * @param waiting          superseded or leftover files kept because they are younger than the grace
 * @param tierFiles        superseded files, manifests and leftovers of the hourly and daily tiers
 */
public record CleanupResult(int stagingFiles, int warehouseFiles, int manifests, int workDirectories,
                            int stagingHourDirs, int waiting, int tierFiles) {

    public static final CleanupResult NONE = new CleanupResult(0, 0, 0, 0, 0, 0, 0);

    /** Files and directories deleted in all. */
    public int deleted() {
        return stagingFiles + warehouseFiles + manifests + workDirectories + stagingHourDirs + tierFiles;
    }

    /** This result with the tiers' clean-up added. */
    public CleanupResult plusTiers(int deletedInTiers, int waitingInTiers) {
        return new CleanupResult(stagingFiles, warehouseFiles, manifests, workDirectories, stagingHourDirs,
                waiting + waitingInTiers, tierFiles + deletedInTiers);
    }
}
