package org.iotpipeline.store.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.paths.SparkPath;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.FileFormat;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Function1;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@link SharedConfParquetFormat} on a real local SparkSession: scans answer as Spark's Parquet
 * format answers, and a scan without data filters copies the Hadoop configuration once per query
 * instead of once per file.
 */
class SharedConfParquetFormatTest {

    private static final StructType SCHEMA = new StructType()
            .add("device_id", DataTypes.IntegerType).add("value", DataTypes.DoubleType);

    private static SparkSession spark;

    @TempDir
    static Path root;

    private static final List<Path> FILES = new ArrayList<>();

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("shared-conf-parquet-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        for (int file = 0; file < 3; file++) {
            String dir = root.resolve("part=" + file).toString();
            spark.range(100).selectExpr("CAST(id % 10 AS INT) AS device_id", "CAST(id AS DOUBLE) * " + (file + 1) + " AS value")
                    .coalesce(1).write().parquet(dir);
            FILES.add(onlyParquetFile(Path.of(dir)));
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** A configuration that counts how often it is copied: Hadoop's copy constructor reads the source's properties. */
    private static final class CountingConfiguration extends Configuration {
        final AtomicInteger copies = new AtomicInteger();

        CountingConfiguration(Configuration from) {
            super(from);
        }

        @Override
        protected synchronized Properties getProps() {
            copies.incrementAndGet();
            return super.getProps();
        }
    }

    @Test
    void aScanWithoutFiltersCopiesTheConfigurationOncePerQueryNotPerFile() {
        assertThat(copiesWhileReading(new ParquetFileFormat(), List.of())).as("Spark's own: a copy per file")
                .isGreaterThanOrEqualTo(FILES.size());
        // Ours made its one copy when the reader was built, before the count starts.
        assertThat(copiesWhileReading(new SharedConfParquetFormat(), List.of())).as("ours: none per file").isZero();
    }

    @Test
    void aScanWithFiltersKeepsSparksCopyPerFile() {
        List<Filter> filters = List.of(new EqualTo("device_id", 3));
        assertThat(copiesWhileReading(new SharedConfParquetFormat(), filters)).isGreaterThanOrEqualTo(FILES.size());
    }

    @Test
    void answersEqualSparksParquet() {
        String[] paths = FILES.stream().map(Path::toString).toArray(String[]::new);
        for (String where : List.of("true", "device_id = 3", "value > 150", "device_id IN (1, 2) AND value < 50")) {
            List<Row> ours = spark.read().format(SharedConfParquetFormat.class.getName()).schema(SCHEMA).load(paths)
                    .where(where).groupBy("device_id").agg(org.apache.spark.sql.functions.count("*"),
                            org.apache.spark.sql.functions.sum("value")).orderBy("device_id").collectAsList();
            List<Row> sparks = spark.read().schema(SCHEMA).parquet(paths)
                    .where(where).groupBy("device_id").agg(org.apache.spark.sql.functions.count("*"),
                            org.apache.spark.sql.functions.sum("value")).orderBy("device_id").collectAsList();
            assertThat(ours).as(where).isNotEmpty().isEqualTo(sparks);
        }
    }

    /** Builds the format's reader over a counting configuration and counts its copies while reading every file. */
    private static int copiesWhileReading(ParquetFileFormat format, List<Filter> filters) {
        CountingConfiguration conf = new CountingConfiguration(spark.sessionState().newHadoopConf());
        Function1<PartitionedFile, Iterator<InternalRow>> reader = format.buildReaderWithPartitionValues(
                spark, SCHEMA, new StructType(), SCHEMA, CollectionConverters.asScala(filters).toSeq(),
                new scala.collection.immutable.Map.Map1<>(FileFormat.OPTION_RETURNING_BATCH(), "true"), conf);
        conf.copies.set(0);
        int rows = 0;
        for (Path file : FILES) {
            PartitionedFile partitioned = new PartitionedFile(InternalRow.empty(), SparkPath.fromPathString(file.toString()),
                    0, file.toFile().length(), new String[0], 0, file.toFile().length(),
                    scala.collection.immutable.Map$.MODULE$.empty());
            Iterator<InternalRow> it = reader.apply(partitioned);
            while (it.hasNext()) {
                Object next = it.next(); // rows or columnar batches: either proves the file was opened
                rows += next == null ? 0 : 1;
            }
        }
        assertThat(rows).as("something was read").isPositive();
        return conf.copies.get();
    }

    private static Path onlyParquetFile(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
