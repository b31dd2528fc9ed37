package org.iotpipeline.etl.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the staging table with DuckDB, a Parquet reader that shares no code with Spark, the way a
 * reader of our layout would: every {@code *.parquet} under {@code year=/month=/day=/hour=}
 * directories whose name does not start with {@code _} or {@code .}; {@link #rows()} folds the
 * rows of each (window, device, metric) with its own SQL (an oracle independent of the
 * project's {@code Rollups}), {@link #rawRowCount()} counts them as stored.
 */
public final class StagingReader {

    private final Path root;

    public StagingReader(Path root) {
        this.root = root;
    }

    /** The visible data files, relative to the root (e.g. {@code year=2025/month=11/day=24/hour=10/part-b000000001-3f2a9c1e-00000.parquet}). */
    public List<String> files() {
        if (!Files.exists(root)) {
            return List.of();
        }
        // Only the year= trees: the writer creates and deletes its hidden _tmp tree concurrently.
        try (Stream<Path> years = Files.list(root)) {
            List<String> files = new java.util.ArrayList<>();
            for (Path year : years.filter(p -> p.getFileName().toString().startsWith("year=")).toList()) {
                try (Stream<Path> paths = Files.walk(year)) {
                    paths.filter(Files::isRegularFile)
                            .filter(p -> p.getFileName().toString().endsWith(".parquet"))
                            .filter(p -> !p.getFileName().toString().startsWith(".")
                                    && !p.getFileName().toString().startsWith("_"))
                            .map(p -> root.relativize(p).toString())
                            .forEach(files::add);
                }
            }
            files.sort(null);
            return files;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Every (window, device, metric) once, its stored rows folded (counts and sums added, min of
     * minimums, max of maximums), ordered by window, device and metric; the partition columns come
     * from the path.
     */
    public List<MeasurementRow> rows() {
        List<String> files = files();
        if (files.isEmpty()) {
            return List.of();
        }
        return query(files.stream().map(root::resolve).toList(), true);
    }

    /** Rows as stored, one per row of every file (a window with late rows has several). */
    public long rawRowCount() {
        List<String> files = files();
        if (files.isEmpty()) {
            return 0;
        }
        String list = String.join(", ", files.stream().map(f -> "'" + root.resolve(f) + "'").toList());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet([" + list + "])")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB could not read " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * The rows of some Parquet files with partition columns stored as data (the live area),
     * folded per key like {@link #rows()}.
     */
    public static List<MeasurementRow> rowsOf(List<Path> parquetFiles) {
        return parquetFiles.isEmpty() ? List.of() : query(parquetFiles, false);
    }

    /** The rows of Parquet files under {@code year=/month=/day=/hour=} directories (any roots), folded per key. */
    public static List<MeasurementRow> rowsOfPartitioned(List<Path> parquetFiles) {
        return parquetFiles.isEmpty() ? List.of() : query(parquetFiles, true);
    }

    private static List<MeasurementRow> query(List<Path> files, boolean hivePartitioning) {
        String list = String.join(", ", files.stream().map(f -> "'" + f + "'").toList());
        String sql = "SELECT epoch_ms(window_start) AS ws, epoch_ms(window_end) AS we, device_id, metric_id, "
                + "sum(event_count), sum(value_sum), min(value_min), max(value_max), sum(value_sum) / sum(event_count), "
                + "year, month, day, hour "
                + "FROM read_parquet([" + list + "], hive_partitioning = " + hivePartitioning + ") "
                + "GROUP BY ALL ORDER BY ws, device_id, metric_id";
        List<MeasurementRow> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.add(new MeasurementRow(Instant.ofEpochMilli(r.getLong(1)), Instant.ofEpochMilli(r.getLong(2)),
                        r.getInt(3), r.getInt(4), r.getLong(5), r.getDouble(6), r.getDouble(7), r.getDouble(8),
                        r.getDouble(9), r.getInt(10), r.getInt(11), r.getInt(12), r.getInt(13)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB could not read " + files + ": " + e.getMessage(), e);
        }
        return rows;
    }

    /** DuckDB's view of a column's type in one file, e.g. {@code TIMESTAMP WITH TIME ZONE}. */
    public String columnType(String file, String column) {
        String sql = "SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet('" + root.resolve(file) + "')) "
                + "WHERE column_name = '" + column + "'";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Parquet physical and logical type of a column in one file, as DuckDB's parquet_schema reports them. */
    public String parquetType(String file, String column) {
        String sql = "SELECT type || ' ' || coalesce(logical_type, '') FROM parquet_schema('" + root.resolve(file)
                + "') WHERE name = '" + column + "'";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
