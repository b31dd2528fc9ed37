package org.iotpipeline.store.parquet;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapred.JobConf;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;
import scala.Function1;
import scala.collection.Iterator;
import scala.collection.immutable.Map;
import scala.collection.immutable.Seq;

/**
 * Spark's Parquet format, without a copy of the Hadoop configuration for every file a scan opens
 * when nothing can write to it.
 *
 * <p>For each file, Spark's reader wraps the query's configuration in a {@code
 * TaskAttemptContextImpl}, whose {@code JobContextImpl} copies it unless it already is a {@link
 * JobConf}: ~1,100 properties, ~0.2 ms per file, 16 % of a 720-file scan's task time (JFR,
 * docs/perf-query.md). The copy isolates the one per-file write Spark makes — the file's pushed-down
 * filter predicate, which depends on that file's schema. A scan without data filters pushes none
 * and writes nothing, so it is given one {@code JobConf} for the query (made here, before Spark
 * adds the scan's settings and broadcasts it) and the per-file copy is skipped; a scan with filters
 * keeps Spark's copy. On executors in other JVMs the broadcast arrives as a plain configuration and
 * Spark copies as before.
 */
public class SharedConfParquetFormat extends ParquetFileFormat {

    private static final long serialVersionUID = 1L;

    @Override
    public Function1<PartitionedFile, Iterator<InternalRow>> buildReaderWithPartitionValues(
            SparkSession sparkSession, StructType dataSchema, StructType partitionSchema, StructType requiredSchema,
            Seq<Filter> filters, Map<String, String> options, Configuration hadoopConf) {
        Configuration conf = filters.isEmpty() ? new JobConf(hadoopConf) : hadoopConf;
        return super.buildReaderWithPartitionValues(sparkSession, dataSchema, partitionSchema, requiredSchema, filters,
                options, conf);
    }
}
