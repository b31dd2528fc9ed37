package org.iotpipeline.store;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The coarser rollup tiers of table {@code measurements} (docs/storage.md): the same columns, one
 * row per (hour or day, device, metric), derived by compaction from the final 5-minute rows.
 *
 * <ul>
 *   <li>{@link #HOURLY} — table {@code measurements_1h}, one partition per day
 *       ({@code year=/month=/day=}; {@code hour} is a column in the files): a day holds 24 rows per
 *       series, so a 30-day dashboard reads 30 small partitions.</li>
 *   <li>{@link #DAILY} — table {@code measurements_1d}, one partition per month
 *       ({@code year=/month=}; {@code day} and {@code hour} (0) are columns in the files).</li>
 * </ul>
 */
public enum Tier {

    HOURLY("measurements_1h", Duration.ofHours(1), List.of("year", "month", "day"), List.of("hour")),
    DAILY("measurements_1d", Duration.ofDays(1), List.of("year", "month"), List.of("day", "hour"));

    private final String table;
    private final Duration window;
    private final List<String> partitionColumns;
    private final List<String> columnsInFiles;

    Tier(String table, Duration window, List<String> partitionColumns, List<String> columnsInFiles) {
        this.table = table;
        this.window = window;
        this.partitionColumns = partitionColumns;
        this.columnsInFiles = columnsInFiles;
    }

    /** The table name readers register, also the tier's directory next to the 5-minute warehouse. */
    public String table() {
        return table;
    }

    /** The length of the tier's windows. */
    public Duration window() {
        return window;
    }

    /** The columns that come from the directory names. */
    public List<String> partitionColumns() {
        return partitionColumns;
    }

    /** The data columns of the tier's files: the table's data columns and the time columns that are not directories. */
    public StructType fileSchema() {
        StructType schema = MeasurementsSchema.DATA;
        for (String column : columnsInFiles) {
            schema = schema.add(column, DataTypes.IntegerType, true);
        }
        return schema;
    }

    /** What a reader reads: the file columns, then the directory columns. */
    public StructType readSchema() {
        StructType schema = fileSchema();
        for (String column : partitionColumns) {
            schema = schema.add(column, DataTypes.IntegerType, true);
        }
        return schema;
    }

    /** Spark's {@code date_trunc} unit of the tier's windows. */
    public String truncUnit() {
        return this == HOURLY ? "HOUR" : "DAY";
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
