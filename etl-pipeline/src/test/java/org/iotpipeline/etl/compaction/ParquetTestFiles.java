package org.iotpipeline.etl.compaction;

import java.io.IOException;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Measurement files written with plain parquet-hadoop, for tests that must not start Spark first. */
final class ParquetTestFiles {

    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message spark_schema {
              required int64 window_start (TIMESTAMP(MICROS,true));
              required int64 window_end (TIMESTAMP(MICROS,true));
              required int32 device_id;
              required int32 metric_id;
              required int64 event_count;
              required double value_sum;
              required double value_min;
              required double value_max;
              required double value_avg;
            }""");

    private ParquetTestFiles() {
    }

    /**
     * Writes {@code rows} rows, device i in window i (5-minute windows from {@code first}), each
     * with event_count 2.
     */
    static void write(Configuration conf, Path dir, String name, Instant first, int rows) throws IOException {
        SimpleGroupFactory factory = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(new Path(dir, name), conf))
                .withType(SCHEMA).withConf(conf).build()) {
            for (int i = 0; i < rows; i++) {
                long start = (first.getEpochSecond() + 300L * i) * 1_000_000L;
                writer.write(factory.newGroup().append("window_start", start).append("window_end", start + 300_000_000L)
                        .append("device_id", i).append("metric_id", 0).append("event_count", 2L).append("value_sum", 1.0)
                        .append("value_min", 1.0).append("value_max", 1.0).append("value_avg", 1.0));
            }
        }
    }
}
