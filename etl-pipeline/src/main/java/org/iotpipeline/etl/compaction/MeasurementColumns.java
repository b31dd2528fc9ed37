package org.iotpipeline.etl.compaction;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The data columns of table {@code measurements} as stored in both trees (listed in docs/api.md); the
 * partition columns live only in directory names. Compaction reads with this explicit schema so
 * nothing is inferred from file contents or paths.
 */
final class MeasurementColumns {

    static final String WINDOW_START = "window_start";
    static final String DEVICE_ID = "device_id";
    static final String METRIC_ID = "metric_id";
    static final String EVENT_COUNT = "event_count";

    static final StructType SCHEMA = new StructType()
            .add(WINDOW_START, DataTypes.TimestampType, false)
            .add("window_end", DataTypes.TimestampType, false)
            .add(DEVICE_ID, DataTypes.IntegerType, false)
            .add(METRIC_ID, DataTypes.IntegerType, false)
            .add(EVENT_COUNT, DataTypes.LongType, false)
            .add("value_sum", DataTypes.DoubleType, false)
            .add("value_min", DataTypes.DoubleType, false)
            .add("value_max", DataTypes.DoubleType, false)
            .add("value_avg", DataTypes.DoubleType, false);

    /** The order of rows in compacted files: good row-group pruning for per-device queries. */
    static final List<String> SORT_ORDER = List.of(DEVICE_ID, METRIC_ID, WINDOW_START);

    private MeasurementColumns() {
    }

    static Column[] allColumns() {
        return Arrays.stream(SCHEMA.fieldNames()).map(functions::col).toArray(Column[]::new);
    }

    static Column[] sortColumns() {
        return SORT_ORDER.stream().map(functions::col).toArray(Column[]::new);
    }
}
