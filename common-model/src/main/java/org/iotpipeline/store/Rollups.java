package org.iotpipeline.store;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;
import static org.iotpipeline.store.MeasurementsSchema.DEVICE_ID;
import static org.iotpipeline.store.MeasurementsSchema.EVENT_COUNT;
import static org.iotpipeline.store.MeasurementsSchema.FIRST_TIMESTAMP;
import static org.iotpipeline.store.MeasurementsSchema.LAST_TIMESTAMP;
import static org.iotpipeline.store.MeasurementsSchema.METRIC_ID;
import static org.iotpipeline.store.MeasurementsSchema.VALUE_AVG;
import static org.iotpipeline.store.MeasurementsSchema.VALUE_FIRST;
import static org.iotpipeline.store.MeasurementsSchema.VALUE_LAST;
import static org.iotpipeline.store.MeasurementsSchema.VALUE_MAX;
import static org.iotpipeline.store.MeasurementsSchema.VALUE_MIN;
import static org.iotpipeline.store.MeasurementsSchema.VALUE_SUM;
import static org.iotpipeline.store.MeasurementsSchema.WINDOW_END;
import static org.iotpipeline.store.MeasurementsSchema.WINDOW_START;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How rows of table {@code measurements} are made from events and how partial rows of the same
 * (window, device, metric) fold into one — the one definition the ETL, compaction and the query
 * server share. Every aggregate is associative, so any split of a window's events into partial
 * rows merges to the same row:
 *
 * <ul>
 *   <li>{@code event_count}, {@code value_sum}: added; {@code value_min}/{@code value_max}: min/max;
 *       {@code value_avg = value_sum / event_count}, always recomputed.</li>
 *   <li>{@code value_first} is the value at the earliest timestamp ({@code first_timestamp}),
 *       {@code value_last} the value at the latest ({@code last_timestamp}). With de-duplication
 *       (the default) a (device, metric, timestamp) occurs once, so there are no ties; without it,
 *       ties are broken by value: the smallest value at the earliest timestamp is first, the
 *       largest at the latest is last.</li>
 *   <li>Rows written before these four columns existed have NULLs there; they are ignored when
 *       merging, so a merged row has them from whichever parts have them (NULL if none).</li>
 * </ul>
 */
public final class Rollups {

    private static final String FIRST = "_first";
    private static final String LAST = "_last";

    private Rollups() {
    }

    /**
     * One row per (window, device, metric) of some events, with partition columns.
     *
     * @param events columns {@code device_id}, {@code metric_id} (int), {@code timeMsColumn} (epoch
     *               ms, long) and {@code valueColumn} (double)
     * @param window tumbling window length; windows are aligned to the epoch (UTC)
     */
    public static Dataset<Row> fromEvents(Dataset<Row> events, String timeMsColumn, String valueColumn,
                                          Duration window) {
        long windowMs = window.toMillis();
        Column time = col(timeMsColumn);
        Column start = time.minus(pmod(time, lit(windowMs)));
        Column sample = struct(timestamp_millis(time).as("t"), col(valueColumn).as("v"));
        Dataset<Row> grouped = events
                .groupBy(start.as("_start_ms"), col(DEVICE_ID), col(METRIC_ID))
                .agg(count(lit(1)).as(EVENT_COUNT),
                        sum(valueColumn).as(VALUE_SUM),
                        min(valueColumn).as(VALUE_MIN),
                        max(valueColumn).as(VALUE_MAX),
                        min(sample).as(FIRST),
                        max(sample).as(LAST));
        return grouped
                .withColumn(WINDOW_START, timestamp_millis(col("_start_ms")))
                .withColumn(WINDOW_END, timestamp_millis(col("_start_ms").plus(lit(windowMs))))
                .select(finalColumns(Partitions.DERIVED));
    }

    /**
     * Every event as a row of its own window ({@code event_count} 1, first = last = the event),
     * data columns only. {@link #merge} (without partitions) folds them, together with rows from
     * elsewhere, into the rows {@link #fromEvents} makes: one aggregation for events and existing
     * rows alike; {@link #withDerivedPartitions} then adds the partition columns once per row.
     *
     * @param events as for {@link #fromEvents}
     */
    public static Dataset<Row> eachEvent(Dataset<Row> events, String timeMsColumn, String valueColumn, Duration window) {
        long windowMs = window.toMillis();
        Column time = col(timeMsColumn);
        Column value = col(valueColumn);
        Column startMs = time.minus(pmod(time, lit(windowMs)));
        Column at = timestamp_millis(time);
        return events.select(timestamp_millis(startMs).as(WINDOW_START), timestamp_millis(startMs.plus(lit(windowMs))).as(WINDOW_END),
                col(DEVICE_ID), col(METRIC_ID), lit(1L).as(EVENT_COUNT), value.as(VALUE_SUM), value.as(VALUE_MIN),
                value.as(VALUE_MAX), value.as(VALUE_AVG), at.as(FIRST_TIMESTAMP), value.as(VALUE_FIRST),
                at.as(LAST_TIMESTAMP), value.as(VALUE_LAST));
    }

    /** Rows with data columns only, plus the partition columns derived from {@code window_start}. */
    public static Dataset<Row> withDerivedPartitions(Dataset<Row> rows) {
        List<Column> columns = new ArrayList<>(List.of(MeasurementsSchema.dataColumns()));
        columns.addAll(derivedPartitions());
        return rows.select(columns.toArray(Column[]::new));
    }

    /**
     * Folds rows of the same (window, device, metric) into one; rows of other keys pass unchanged
     * (up to the recomputed {@code value_avg}).
     *
     * @param withPartitions whether the input has (and the output keeps) the partition columns
     */
    public static Dataset<Row> merge(Dataset<Row> rows, boolean withPartitions) {
        List<Column> keys = new ArrayList<>();
        MeasurementsSchema.KEY.forEach(k -> keys.add(col(k)));
        if (withPartitions) {
            // Functions of window_start: grouping by them too keeps them, and lets Spark push a
            // partition filter below the aggregation.
            MeasurementsSchema.PARTITION_COLUMNS.forEach(k -> keys.add(col(k)));
        }
        return rows
                .groupBy(keys.toArray(Column[]::new))
                .agg(sum(EVENT_COUNT).as(EVENT_COUNT),
                        sum(VALUE_SUM).as(VALUE_SUM),
                        min(VALUE_MIN).as(VALUE_MIN),
                        max(VALUE_MAX).as(VALUE_MAX),
                        min(when(col(FIRST_TIMESTAMP).isNotNull(),
                                struct(col(FIRST_TIMESTAMP).as("t"), col(VALUE_FIRST).as("v")))).as(FIRST),
                        max(when(col(LAST_TIMESTAMP).isNotNull(),
                                struct(col(LAST_TIMESTAMP).as("t"), col(VALUE_LAST).as("v")))).as(LAST))
                .select(finalColumns(withPartitions ? Partitions.PASSED_THROUGH : Partitions.NONE));
    }

    /** Where the partition columns of an output row come from. */
    private enum Partitions {
        NONE,
        /** year/month/day/hour of window_start (UTC: the session time zone must be UTC). */
        DERIVED,
        /** The input's grouping columns, so a filter on them still prunes files below the aggregation. */
        PASSED_THROUGH
    }

    private static Column[] finalColumns(Partitions partitions) {
        List<Column> columns = new ArrayList<>(List.of(
                col(WINDOW_START), col(WINDOW_END), col(DEVICE_ID), col(METRIC_ID),
                col(EVENT_COUNT), col(VALUE_SUM), col(VALUE_MIN), col(VALUE_MAX),
                col(VALUE_SUM).divide(col(EVENT_COUNT)).as(VALUE_AVG),
                col(FIRST + ".t").as(FIRST_TIMESTAMP), col(FIRST + ".v").as(VALUE_FIRST),
                col(LAST + ".t").as(LAST_TIMESTAMP), col(LAST + ".v").as(VALUE_LAST)));
        if (partitions == Partitions.DERIVED) {
            columns.addAll(derivedPartitions());
        } else if (partitions == Partitions.PASSED_THROUGH) {
            MeasurementsSchema.PARTITION_COLUMNS.forEach(k -> columns.add(col(k)));
        }
        return columns.toArray(Column[]::new);
    }

    /** year/month/day/hour of window_start (UTC: the session time zone must be UTC). */
    private static List<Column> derivedPartitions() {
        return List.of(year(col(WINDOW_START)).as("year"), month(col(WINDOW_START)).as("month"),
                dayofmonth(col(WINDOW_START)).as("day"), hour(col(WINDOW_START)).as("hour"));
    }
}
