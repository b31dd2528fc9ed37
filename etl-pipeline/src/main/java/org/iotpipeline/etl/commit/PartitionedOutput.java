package org.iotpipeline.etl.commit;

import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.functions;

/**
 * A stateless output: the micro-batch's rows as they are, spread over
 * {@link OutputLayout#filesPerPartition()} writer tasks and partitioned as the layout says. One
 * Spark job; the row count comes from an {@link Observation} of that same job.
 */
public final class PartitionedOutput implements BatchOutput {

    private final Dataset<Row> batch;
    private final OutputLayout layout;

    public PartitionedOutput(Dataset<Row> batch, OutputLayout layout) {
        this.batch = Objects.requireNonNull(batch, "batch is null");
        this.layout = Objects.requireNonNull(layout, "layout is null");
    }

    @Override
    public Written write(long batchId, Path outputDir, Path scratchDir, StreamState previous) {
        return new Written(writeRows(batch, layout, outputDir), null, 0);
    }

    @Override
    public void discard() {
        batch.write().format("noop").mode(SaveMode.Overwrite).save();
    }

    /** Writes {@code rows} under {@code dir} as the layout says; returns how many rows were written. */
    public static long writeRows(Dataset<Row> rows, OutputLayout layout, Path dir) {
        Observation written = new Observation("written");
        Column[] spread = layout.spreadColumns().stream().map(functions::col).toArray(Column[]::new);
        rows.repartition(layout.filesPerPartition(), spread)
                .observe(written, functions.count(functions.lit(1)).as("rows"))
                .write()
                .mode(SaveMode.Overwrite)
                .format(layout.format())
                .partitionBy(layout.partitionColumns().toArray(String[]::new))
                .save(dir.toString());
        try {
            // The write has finished, so the observation is already complete: this does not wait.
            Map<String, Object> metrics = written.getAsJava();
            return ((Number) metrics.get("rows")).longValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the row count of " + dir, e);
        }
    }
}
