package org.iotpipeline.etl.compaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.iotpipeline.store.HourManifest;
import org.iotpipeline.store.HourPartition;

/**
 * What compacting one hour will do: merge the current warehouse files with the staging files the
 * current manifest has not absorbed, into at most {@link #maxOutputFiles} new files.
 *
 * @param hour                  the hour
 * @param previous              its current manifest, if it was compacted before
 * @param previousFiles         the files {@code previous} lists, as found in the warehouse
 * @param missingPreviousFiles  names {@code previous} lists that are not in the warehouse (a broken hour)
 * @param newStagingFiles       staging files of the hour that {@code previous} does not name as sources
 * @param keptSources           sources of {@code previous} that still exist in staging: the next
 *                              manifest must keep hiding them from readers until they are deleted
 * @param maxOutputFiles        ceil(input bytes / target file size), at least 1
 */
record HourPlan(HourPartition hour, Optional<HourManifest> previous, List<FileStatus> previousFiles,
                List<String> missingPreviousFiles, List<FileStatus> newStagingFiles, List<String> keptSources,
                int maxOutputFiles) {

    HourPlan {
        previousFiles = List.copyOf(previousFiles);
        missingPreviousFiles = List.copyOf(missingPreviousFiles);
        newStagingFiles = List.copyOf(newStagingFiles);
        keptSources = List.copyOf(keptSources);
    }

    /** The version the compaction will publish. */
    long nextVersion() {
        return previous.map(HourManifest::version).orElse(0L) + 1;
    }

    long inputBytes() {
        return bytes(previousFiles) + bytes(newStagingFiles);
    }

    List<FileStatus> inputFiles() {
        List<FileStatus> all = new ArrayList<>(previousFiles);
        all.addAll(newStagingFiles);
        return all;
    }

    /** The sources of the next manifest: still-present old sources plus the newly absorbed files. */
    List<String> nextSources() {
        List<String> sources = new ArrayList<>(keptSources);
        newStagingFiles.forEach(file -> sources.add(file.getPath().getName()));
        return sources;
    }

    static long bytes(List<FileStatus> files) {
        return files.stream().mapToLong(FileStatus::getLen).sum();
    }

    /** The number of files an hour of {@code inputBytes} may become. */
    static int maxOutputFiles(long inputBytes, long targetFileSize) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (inputBytes + targetFileSize - 1) / targetFileSize));
    }
}
