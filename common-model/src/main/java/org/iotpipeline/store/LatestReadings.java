package org.iotpipeline.store;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Table {@code latest_readings}: the newest reading of every (device, metric), whenever it
 * arrived — the value at the greatest timestamp (ties: the largest value, as for
 * {@code value_last}). Kept by the ETL in the live area, one snapshot per micro-batch; taking the
 * maximum is idempotent, so replays and re-sent duplicates change nothing.
 */
public final class LatestReadings {

    public static final String TABLE = "latest_readings";
    public static final String TIMESTAMP = "timestamp";
    public static final String VALUE = "value";

    public static final StructType SCHEMA = new StructType()
            .add(MeasurementsSchema.DEVICE_ID, DataTypes.IntegerType, true)
            .add(MeasurementsSchema.METRIC_ID, DataTypes.IntegerType, true)
            .add(TIMESTAMP, DataTypes.TimestampType, true)
            .add(VALUE, DataTypes.DoubleType, true);

    private static final String NEWEST = "_newest";

    private LatestReadings() {
    }

    /**
     * The last reading of each row of table {@code measurements} (its last_timestamp/value_last): several
     * per (device, metric) — {@link #merge} keeps the newest.
     */
    public static Dataset<Row> lastOfEachRollup(Dataset<Row> rollups) {
        return rollups.select(col(MeasurementsSchema.DEVICE_ID), col(MeasurementsSchema.METRIC_ID),
                col(MeasurementsSchema.LAST_TIMESTAMP).as(TIMESTAMP), col(MeasurementsSchema.VALUE_LAST).as(VALUE));
    }

    /** The newest reading per (device, metric) of two sets of readings (one aggregation over both). */
    public static Dataset<Row> merge(Dataset<Row> readings, Dataset<Row> more) {
        return newest(readings.unionByName(more));
    }

    private static Dataset<Row> newest(Dataset<Row> readings) {
        return readings
                .groupBy(col(MeasurementsSchema.DEVICE_ID), col(MeasurementsSchema.METRIC_ID))
                .agg(max(when(col(TIMESTAMP).isNotNull(), struct(col(TIMESTAMP).as("t"), col(VALUE).as("v")))).as(NEWEST))
                .filter(col(NEWEST).isNotNull())
                .select(col(MeasurementsSchema.DEVICE_ID), col(MeasurementsSchema.METRIC_ID),
                        col(NEWEST + ".t").as(TIMESTAMP), col(NEWEST + ".v").as(VALUE));
    }
}
