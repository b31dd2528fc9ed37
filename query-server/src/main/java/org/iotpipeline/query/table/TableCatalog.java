package org.iotpipeline.query.table;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalog.Table;
import org.apache.spark.sql.types.StructField;

/** Describes the tables a query can name, for {@code GET /tables}. */
public final class TableCatalog {

    private final SparkSession spark;
    private final MeasurementsTable measurements;

    public TableCatalog(SparkSession spark, MeasurementsTable measurements) {
        this.spark = spark;
        this.measurements = measurements;
    }

    /** Every table and view of the session's current namespace, {@code measurements} with its store listing. */
    public List<TableDescription> describe() {
        measurements.refreshIfStale();
        List<TableDescription> tables = new ArrayList<>();
        for (Table table : spark.catalog().listTables().collectAsList()) {
            List<ColumnDescription> columns = new ArrayList<>();
            for (StructField field : spark.table(table.name()).schema().fields()) {
                columns.add(new ColumnDescription(field.name(), field.dataType().catalogString(),
                        field.nullable()));
            }
            boolean isMeasurements = table.name().equals(measurements.name());
            tables.add(new TableDescription(table.name(), columns,
                    isMeasurements ? MeasurementsTable.PARTITION_COLUMNS : List.of(),
                    isMeasurements ? measurements.state().map(StoreDescription::of).orElse(null) : null));
        }
        return tables;
    }

    /**
     * @param name             the name to use in SQL
     * @param columns          in order
     * @param partitionColumns columns that come from directory names: filtering on them skips files
     * @param store            for {@code measurements}: what the last store listing found
     */
    public record TableDescription(String name, List<ColumnDescription> columns, List<String> partitionColumns,
                                   StoreDescription store) {
    }

    public record ColumnDescription(String name, String type, boolean nullable) {
    }

    /**
     * @param warehouseFiles compacted files read
     * @param stagingFiles   staging files read (not yet compacted, or added after compaction)
     * @param hours          hour partitions with rows
     * @param firstHour      oldest hour, e.g. {@code year=2026/month=11/day=29/hour=3}
     * @param lastHour       newest hour
     * @param listedAt       when the store was last listed (ISO-8601 UTC)
     */
    public record StoreDescription(int warehouseFiles, int stagingFiles, int hours, String firstHour, String lastHour,
                                   String listedAt) {
        static StoreDescription of(TableState state) {
            var hours = state.snapshot().hours();
            return new StoreDescription(state.snapshot().warehouseFiles().size(), state.snapshot().stagingFiles().size(),
                    hours.size(), hours.isEmpty() ? null : hours.get(0).toString(),
                    hours.isEmpty() ? null : hours.get(hours.size() - 1).toString(), state.listedAt().toString());
        }
    }
}
