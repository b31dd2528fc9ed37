package org.iotpipeline.etl.compaction;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.iotpipeline.store.MeasurementsSchema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Facts about Parquet files read from their footers only (no data pages, no Spark): the row
 * counts compaction verifies with, and the window_start range that inspect shows.
 */
final class ParquetFooters {

    private final Configuration conf;

    ParquetFooters(Configuration conf) {
        this.conf = Objects.requireNonNull(conf, "conf is null");
    }

    /** Rows, bytes and window_start range of one file. */
    FileSummary summarize(FileStatus file) throws IOException {
        ParquetMetadata footer;
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(file, conf))) {
            footer = reader.getFooter();
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read the Parquet footer of " + file.getPath() + ": " + e.getMessage(), e);
        }
        long rows = 0;
        Long min = null;
        Long max = null;
        for (BlockMetaData block : footer.getBlocks()) {
            rows += block.getRowCount();
            for (ColumnChunkMetaData column : block.getColumns()) {
                if (!column.getPath().toDotString().equals(MeasurementsSchema.WINDOW_START)) {
                    continue;
                }
                Statistics<?> stats = column.getStatistics();
                if (stats != null && !stats.isEmpty() && stats.hasNonNullValue()
                        && stats.genericGetMin() instanceof Long low && stats.genericGetMax() instanceof Long high) {
                    min = min == null ? low : Math.min(min, low);
                    max = max == null ? high : Math.max(max, high);
                }
            }
        }
        Optional<TimestampLogicalTypeAnnotation> unit = timestampType(footer.getFileMetaData().getSchema());
        return new FileSummary(file.getPath().getName(), rows, file.getLen(),
                toInstant(min, unit), toInstant(max, unit));
    }

    /** The total row count of some files, from their footers. */
    long rowCount(List<FileStatus> files) throws IOException {
        long rows = 0;
        for (FileStatus file : files) {
            try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(file, conf))) {
                rows += reader.getRecordCount();
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot read the Parquet footer of " + file.getPath() + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }

    private static Optional<TimestampLogicalTypeAnnotation> timestampType(MessageType schema) {
        if (!schema.containsField(MeasurementsSchema.WINDOW_START)) {
            return Optional.empty();
        }
        Type type = schema.getType(MeasurementsSchema.WINDOW_START);
        if (!type.isPrimitive() || type.asPrimitiveType().getPrimitiveTypeName() != PrimitiveType.PrimitiveTypeName.INT64) {
            return Optional.empty(); // INT96 timestamps carry no usable statistics
        }
        LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
        return annotation instanceof TimestampLogicalTypeAnnotation timestamp ? Optional.of(timestamp) : Optional.empty();
    }

    private static Optional<Instant> toInstant(Long value, Optional<TimestampLogicalTypeAnnotation> type) {
        if (value == null || type.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(switch (type.get().getUnit()) {
            case MILLIS -> Instant.ofEpochMilli(value);
            case MICROS -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1_000L);
            case NANOS -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L));
        });
    }

    /**
     * Footer facts of one Parquet file.
     *
     * @param name            file name
     * @param rows            row count
     * @param bytes           file length
     * @param minWindowStart  smallest window_start (empty if the file has no statistics for it)
     * @param maxWindowStart  largest window_start
     */
    record FileSummary(String name, long rows, long bytes, Optional<Instant> minWindowStart,
                       Optional<Instant> maxWindowStart) {
    }
}
