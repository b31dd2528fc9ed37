package org.iotpipeline.store;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The columns of table {@code measurements} as stored in every Parquet file of staging, warehouse
 * and the live area (docs/storage.md). Readers use this explicit schema, so nothing is inferred
 * from file contents, and files written before a column existed read it as NULL.
 *
 * <p>A stored row may be <em>partial</em>: one (window, device, metric) can have several rows in
 * staging (a final row plus late rows added later). {@link Rollups#merge} folds them into one.
 */
public final class MeasurementsSchema {

    public static final String WINDOW_START = "window_start";
    public static final String WINDOW_END = "window_end";
    public static final String DEVICE_ID = "device_id";
    public static final String METRIC_ID = "metric_id";
    public static final String EVENT_COUNT = "event_count";
    public static final String VALUE_SUM = "value_sum";
    public static final String VALUE_MIN = "value_min";
    public static final String VALUE_MAX = "value_max";
    public static final String VALUE_AVG = "value_avg";
    public static final String FIRST_TIMESTAMP = "first_timestamp";
    public static final String VALUE_FIRST = "value_first";
    public static final String LAST_TIMESTAMP = "last_timestamp";
    public static final String VALUE_LAST = "value_last";

    /** The data columns, in file order. All nullable, so that older files without a column still read. */
    public static final StructType DATA = new StructType()
            .add(WINDOW_START, DataTypes.TimestampType, true)
            .add(WINDOW_END, DataTypes.TimestampType, true)
            .add(DEVICE_ID, DataTypes.IntegerType, true)
            .add(METRIC_ID, DataTypes.IntegerType, true)
            .add(EVENT_COUNT, DataTypes.LongType, true)
            .add(VALUE_SUM, DataTypes.DoubleType, true)
            .add(VALUE_MIN, DataTypes.DoubleType, true)
            .add(VALUE_MAX, DataTypes.DoubleType, true)
            .add(VALUE_AVG, DataTypes.DoubleType, true)
            .add(FIRST_TIMESTAMP, DataTypes.TimestampType, true)
            .add(VALUE_FIRST, DataTypes.DoubleType, true)
            .add(LAST_TIMESTAMP, DataTypes.TimestampType, true)
            .add(VALUE_LAST, DataTypes.DoubleType, true);

    /** Partition columns (directory names {@code year=/month=/day=/hour=}, UTC of window_start). */
    public static final List<String> PARTITION_COLUMNS = List.of("year", "month", "day", "hour");

    /** Data columns, then partition columns: the table as readers see it. */
    public static final StructType WITH_PARTITIONS = withPartitions();

    /** What identifies a row of the table: one (window, device, metric). */
    public static final List<String> KEY = List.of(WINDOW_START, WINDOW_END, DEVICE_ID, METRIC_ID);

    /** {@link #KEY} as a Scala sequence, for {@code Dataset.join(other, usingColumns, joinType)}. */
    public static final scala.collection.immutable.Seq<String> KEY_SEQ =
            scala.jdk.javaapi.CollectionConverters.asScala(KEY).toList();

    /** The order of rows in compacted files: good row-group pruning for per-device queries. */
    public static final List<String> SORT_ORDER = List.of(DEVICE_ID, METRIC_ID, WINDOW_START);

    private MeasurementsSchema() {
    }

    public static Column[] dataColumns() {
        return columns(DATA.fieldNames());
    }

    public static Column[] allColumns() {
        return columns(WITH_PARTITIONS.fieldNames());
    }

    public static Column[] sortColumns() {
        return SORT_ORDER.stream().map(functions::col).toArray(Column[]::new);
    }

    private static Column[] columns(String[] names) {
        return Arrays.stream(names).map(functions::col).toArray(Column[]::new);
    }

    private static StructType withPartitions() {
        StructType schema = DATA;
        for (String column : PARTITION_COLUMNS) {
            schema = schema.add(column, DataTypes.IntegerType, true);
        }
        return schema;
    }
}
