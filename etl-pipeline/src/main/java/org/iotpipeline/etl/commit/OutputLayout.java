package org.iotpipeline.etl.commit;

import java.util.List;
import java.util.Objects;

/**
 * How one output is laid out on storage.
 *
 * @param name             used in logs and metrics
 * @param root             the output's root directory (a Hadoop URI or a relative path)
 * @param format           Spark data source short name: "parquet" or "json" (JSON lines)
 * @param extension        file name extension of the final files, e.g. ".parquet"
 * @param partitionColumns directory partitioning, outermost first (e.g. year, month, day, hour)
 * @param spreadColumns    rows are spread over the writer tasks by a hash of these columns
 * @param filesPerPartition number of writer tasks, hence at most this many files per partition directory per batch
 * @param markersToRetain  commit markers kept (older ones are deleted as new batches commit)
 */
public record OutputLayout(String name, String root, String format, String extension, List<String> partitionColumns,
                           List<String> spreadColumns, int filesPerPartition, int markersToRetain) {

    public OutputLayout {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(extension, "extension");
        partitionColumns = List.copyOf(partitionColumns);
        spreadColumns = List.copyOf(spreadColumns);
        if (spreadColumns.isEmpty()) {
            throw new IllegalArgumentException("spreadColumns must name at least one column");
        }
        if (filesPerPartition < 1 || markersToRetain < 1) {
            throw new IllegalArgumentException("filesPerPartition and markersToRetain must be at least 1");
        }
    }
}
