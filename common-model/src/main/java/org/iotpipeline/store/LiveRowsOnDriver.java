package org.iotpipeline.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;

/**
 * The small parts of the live tables computed in the driver's memory, for a reader that answers
 * many queries per live pointer (the query server): the provisional rows and the latest readings
 * are a few thousand rows, and computing them with Spark costs a broadcast, two shuffles and half
 * a dozen jobs in the first query after every micro-batch. Here it is one job that reads the open
 * windows, and the same rules as {@link TableReader}'s Spark plan, in plain Java: a provisional row
 * only where no final row holds its key; the newest reading per (device, metric), ties to the
 * largest value ({@link LatestReadings}).
 *
 * <p>Bounded: a part with more than {@code maxRows} rows is not collected (empty), and the reader
 * falls back to the Spark plan.
 */
final class LiveRowsOnDriver {

    private final int maxRows;

    /** @param maxRows the most rows one part may have to be collected (at least 1) */
    LiveRowsOnDriver(int maxRows) {
        if (maxRows < 1 || maxRows == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxRows must be between 1 and " + (Integer.MAX_VALUE - 1) + ", was " + maxRows);
        }
        this.maxRows = maxRows;
    }

    /** The rows of a part, if it has at most {@code maxRows}. */
    Optional<List<Row>> collect(Dataset<Row> part) {
        // One partition: a limit over several runs one job, then another for the rest.
        List<Row> rows = part.coalesce(1).limit(maxRows + 1).collectAsList();
        return rows.size() > maxRows ? Optional.empty() : Optional.of(rows);
    }

    /**
     * The keys ({@link MeasurementsSchema#KEY}) of rows of table {@code measurements}; a key with a
     * null part matches nothing in a join, so it is left out.
     */
    static Set<List<Object>> keys(List<Row> rows) {
        Set<List<Object>> keys = new HashSet<>();
        for (Row row : rows) {
            List<Object> key = key(row);
            if (!key.contains(null)) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** The keys of the rows whose window starts at or after {@code fromMs} (epoch ms), as {@link #keys}. */
    static Set<List<Object>> keysFrom(List<Row> rows, long fromMs) {
        return keys(rows.stream().filter(row -> windowStartMs(row).filter(ms -> ms >= fromMs).isPresent()).toList());
    }

    /** The earliest {@code window_start} of rows of table {@code measurements} (epoch ms). */
    static Optional<Long> earliestWindowStart(List<Row> rows) {
        Optional<Long> earliest = Optional.empty();
        for (Row row : rows) {
            Optional<Long> ms = windowStartMs(row);
            if (ms.isPresent() && (earliest.isEmpty() || ms.get() < earliest.get())) {
                earliest = ms;
            }
        }
        return earliest;
    }

    private static Optional<Long> windowStartMs(Row row) {
        Object start = row.getAs(MeasurementsSchema.WINDOW_START);
        return start instanceof java.time.Instant instant ? Optional.of(instant.toEpochMilli())
                : start instanceof java.util.Date date ? Optional.of(date.getTime()) : Optional.empty();
    }

    /**
     * {@link Rollups#merge} of final rows as written ({@link MeasurementsSchema#WITH_PARTITIONS}
     * order), if no key appears twice — the usual case in the hours of open windows: each window's
     * final row is written once when it closes. A window's one row is then its merged row, with
     * what the merge derives derived again: the average from sum and count, and no first or last
     * value without its timestamp. Empty when a key repeats (late rows, a compacted copy) or a row
     * counts no event: only Spark's merge folds those.
     */
    static Optional<List<Row>> mergedIfEachKeyOnce(List<Row> rowsAsWritten) {
        Set<List<Object>> seen = new HashSet<>();
        List<Row> merged = new ArrayList<>(rowsAsWritten.size());
        for (Row row : rowsAsWritten) {
            // Null parts included: grouping, unlike a join, puts null keys together.
            if (!seen.add(key(row))) {
                return Optional.empty();
            }
            Object[] values = toArray(row);
            // Spark's sum adds each value to 0.0: a sum of -0.0 is 0.0.
            Double sum = row.isNullAt(row.fieldIndex(MeasurementsSchema.VALUE_SUM)) ? null
                    : row.<Double>getAs(MeasurementsSchema.VALUE_SUM) + 0.0;
            Long count = row.getAs(MeasurementsSchema.EVENT_COUNT);
            if (count != null && count == 0) {
                return Optional.empty(); // never written; Spark's division by zero decides what it means
            }
            values[row.fieldIndex(MeasurementsSchema.VALUE_SUM)] = sum;
            values[row.fieldIndex(MeasurementsSchema.VALUE_AVG)] = sum == null || count == null ? null : sum / count;
            if (row.isNullAt(row.fieldIndex(MeasurementsSchema.FIRST_TIMESTAMP))) {
                values[row.fieldIndex(MeasurementsSchema.VALUE_FIRST)] = null;
            }
            if (row.isNullAt(row.fieldIndex(MeasurementsSchema.LAST_TIMESTAMP))) {
                values[row.fieldIndex(MeasurementsSchema.VALUE_LAST)] = null;
            }
            // With the schema: keys are read from these rows by name.
            merged.add(new GenericRowWithSchema(values, row.schema()));
        }
        return Optional.of(merged);
    }

    /**
     * The provisional rows: the open windows whose key no final row holds, with {@code final} =
     * false ({@link TableReader#LIVE_SCHEMA}).
     */
    static List<Row> provisional(List<Row> openWindows, Set<List<Object>> finalKeys) {
        List<Row> provisional = new ArrayList<>();
        for (Row row : openWindows) {
            if (!finalKeys.contains(key(row))) {
                Object[] values = Arrays.copyOf(toArray(row), row.size() + 1);
                values[row.size()] = false;
                provisional.add(RowFactory.create(values));
            }
        }
        return provisional;
    }

    /**
     * The newest reading per (device, metric) of the latest readings ({@link LatestReadings#SCHEMA})
     * and the last reading of each open window; readings without a timestamp count for nothing.
     */
    static List<Row> newest(List<Row> latestReadings, List<Row> openWindows) {
        Map<List<Object>, Row> newest = new HashMap<>();
        for (Row reading : latestReadings) {
            keepNewer(newest, reading);
        }
        for (Row window : openWindows) {
            keepNewer(newest, RowFactory.create(window.getAs(MeasurementsSchema.DEVICE_ID),
                    window.getAs(MeasurementsSchema.METRIC_ID), window.getAs(MeasurementsSchema.LAST_TIMESTAMP),
                    window.getAs(MeasurementsSchema.VALUE_LAST)));
        }
        return List.copyOf(newest.values());
    }

    private static void keepNewer(Map<List<Object>, Row> newest, Row reading) {
        if (reading.isNullAt(2)) {
            return;
        }
        newest.merge(Arrays.asList(reading.get(0), reading.get(1)), reading,
                (kept, candidate) -> compareReadings(candidate, kept) > 0 ? candidate : kept);
    }

    /** Spark's order of struct(timestamp, value): the timestamp, then the value, a null value first. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareReadings(Row a, Row b) {
        int byTime = ((Comparable) a.get(2)).compareTo(b.get(2));
        if (byTime != 0) {
            return byTime;
        }
        if (a.isNullAt(3) || b.isNullAt(3)) {
            return Boolean.compare(!a.isNullAt(3), !b.isNullAt(3));
        }
        double x = a.getDouble(3);
        double y = b.getDouble(3);
        return x == y ? 0 : Double.compare(x, y); // 0.0 and -0.0 are equal in SQL
    }

    private static List<Object> key(Row row) {
        List<Object> key = new ArrayList<>(MeasurementsSchema.KEY.size());
        for (String column : MeasurementsSchema.KEY) {
            key.add(row.getAs(column));
        }
        return key;
    }

    private static Object[] toArray(Row row) {
        Object[] values = new Object[row.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i);
        }
        return values;
    }
}
