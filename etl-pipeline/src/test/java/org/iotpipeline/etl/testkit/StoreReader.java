package org.iotpipeline.etl.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.iotpipeline.store.MeasurementsStore;
import org.iotpipeline.store.StoreSnapshot;

/**
 * Reads table {@code measurements} the way a reader must (docs/storage.md): the files one
 * {@link MeasurementsStore#snapshot()} names, with the rows of each (window, device, metric) folded
 * by DuckDB's own SQL ({@link StagingReader#rowsOf}) — an oracle that shares no code with the
 * project's {@code Rollups} or Spark. Also gives the raw row count per key, to catch a key stored
 * twice where compaction should have left one row.
 */
public final class StoreReader {

    private final MeasurementsStore store;

    public StoreReader(MeasurementsStore store) {
        this.store = store;
    }

    /** Every key once, folded, as of one snapshot of the store. */
    public List<MeasurementRow> rows() {
        return StagingReader.rowsOfPartitioned(files(snapshot()));
    }

    /** (device, metric, window start) → event count, as of one snapshot. */
    public Map<String, Long> countsByKey() {
        Map<String, Long> counts = new TreeMap<>();
        for (MeasurementRow row : rows()) {
            counts.put(key(row.deviceId(), row.metricId(), row.windowStart().toEpochMilli()), row.eventCount());
        }
        return counts;
    }

    public static String key(int device, int metric, long windowStartMs) {
        return device + "/" + metric + "/" + windowStartMs;
    }

    private StoreSnapshot snapshot() {
        try {
            return store.snapshot();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> files(StoreSnapshot snapshot) {
        List<Path> files = new ArrayList<>();
        snapshot.warehouseFiles().forEach(f -> files.add(Path.of(f.toUri())));
        snapshot.stagingFiles().forEach(f -> files.add(Path.of(f.toUri())));
        return files;
    }
}
