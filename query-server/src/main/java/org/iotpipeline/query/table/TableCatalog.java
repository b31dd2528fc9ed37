package org.iotpipeline.query.table;

import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalog.Table;
import org.apache.spark.sql.types.StructField;
import org.iotpipeline.store.LivePointer;
import org.iotpipeline.store.TableReader;
import org.iotpipeline.store.Tier;

/** Describes the tables a query can name, for {@code GET /tables}. */
public final class TableCatalog {

    private final SparkSession spark;
    private final MeasurementsTable measurements;

    public TableCatalog(SparkSession spark, MeasurementsTable measurements) {
        this.spark = spark;
        this.measurements = measurements;
    }

    /**
     * Every table and view of the session's current namespace; the store's tables with their
     * listing and freshness.
     */
    public List<TableDescription> describe() {
        measurements.refreshIfStale();
        Optional<TableState> state = measurements.state();
        List<TableDescription> tables = new ArrayList<>();
        for (Table table : spark.catalog().listTables().collectAsList()) {
            List<ColumnDescription> columns = new ArrayList<>();
            for (StructField field : spark.table(table.name()).schema().fields()) {
                columns.add(new ColumnDescription(field.name(), field.dataType().catalogString(),
                        field.nullable()));
            }
            boolean ours = measurements.names().contains(table.name());
            Optional<Tier> tier = java.util.Arrays.stream(Tier.values()).filter(t -> t.table().equals(table.name())).findFirst();
            boolean partitioned = table.name().equals(TableReader.MEASUREMENTS)
                    || table.name().equals(TableReader.MEASUREMENTS_LIVE);
            tables.add(new TableDescription(table.name(), columns,
                    partitioned ? MeasurementsTable.PARTITION_COLUMNS : tier.map(Tier::partitionColumns).orElse(List.of()),
                    ours && tier.isEmpty() ? state.map(StoreDescription::of).orElse(null) : null,
                    ours && tier.isEmpty() ? state.map(s -> Freshness.of(s, table.name())).orElse(null) : null,
                    tier.flatMap(t -> state.map(s -> TierDescription.of(s, t))).orElse(null)));
        }
        return tables;
    }

    /**
     * @param name             the name to use in SQL
     * @param columns          in order
     * @param partitionColumns columns that come from directory names: filtering on them skips files
     * @param store            for the store's tables: what the last store listing found
     * @param freshness        for the store's tables: how recent their rows are
     * @param tier             for {@code measurements_1h} and {@code measurements_1d}: files and time range
     */
    public record TableDescription(String name, List<ColumnDescription> columns, List<String> partitionColumns,
                                   StoreDescription store, Freshness freshness, TierDescription tier) {
    }

    /**
     * A coarser tier as the last listing found it.
     *
     * @param files          files read
     * @param firstPartition oldest partition with rows, e.g. {@code year=2026/month=11/day=29} (null: none)
     * @param lastPartition  newest partition with rows
     */
    public record TierDescription(int files, String firstPartition, String lastPartition) {
        static TierDescription of(TableState state, Tier tier) {
            List<org.apache.hadoop.fs.Path> files = tier == Tier.HOURLY ? state.listing().hourlyFiles()
                    : state.listing().dailyFiles();
            java.util.TreeSet<String> partitions = new java.util.TreeSet<>(java.util.Comparator.comparing(
                    (String p) -> org.iotpipeline.store.TierPartition.fromRelativePath(tier, p).orElseThrow()));
            for (org.apache.hadoop.fs.Path file : files) {
                String parent = file.getParent().toUri().getPath();
                String[] parts = parent.split("/");
                String relative = String.join("/", java.util.Arrays.copyOfRange(parts, parts.length - tier.partitionColumns().size(),
                        parts.length));
                partitions.add(relative);
            }
            return new TierDescription(files.size(), partitions.isEmpty() ? null : partitions.first(),
                    partitions.isEmpty() ? null : partitions.last());
        }
    }

    /**
     * How recent a table's rows are, from the ETL's live pointer (null fields: no live area yet).
     *
     * @param newestEventTime for {@code measurements_live} and {@code latest_readings}: the newest event
     *                        time the ETL has read and committed (ISO-8601 UTC)
     * @param finalUntil      every window ending at or before this is final (the ETL's watermark);
     *                        {@code measurements} holds no window after it
     * @param liveBatch       the ETL micro-batch the live rows are of
     * @param liveCommittedAt when that batch committed
     */
    public record Freshness(String newestEventTime, String finalUntil, Long liveBatch, String liveCommittedAt) {
        static Freshness of(TableState state, String table) {
            Optional<LivePointer> pointer = state.listing().pointer();
            if (pointer.isEmpty()) {
                return new Freshness(null, null, null, null);
            }
            LivePointer p = pointer.get();
            String finalUntil = p.watermarkMs() == null ? null : Instant.ofEpochMilli(p.watermarkMs()).toString();
            if (table.equals(TableReader.MEASUREMENTS)) {
                return new Freshness(null, finalUntil, null, null);
            }
            return new Freshness(p.maxEventTimeMs() == null ? null : Instant.ofEpochMilli(p.maxEventTimeMs()).toString(),
                    finalUntil, p.batchId(), Instant.ofEpochMilli(p.committedAtMillis()).toString());
        }
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
