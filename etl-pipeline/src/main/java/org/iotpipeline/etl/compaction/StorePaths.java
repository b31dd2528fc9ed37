package org.iotpipeline.etl.compaction;

import com.typesafe.config.Config;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.iotpipeline.config.ConfigSection;
import org.iotpipeline.store.MeasurementsStore;

/**
 * The two roots of table {@code measurements}, from {@code etl-pipeline.paths}.
 *
 * @param staging   the streaming job's output (any Hadoop FS URI)
 * @param warehouse the compacted hours (any Hadoop FS URI)
 */
public record StorePaths(String staging, String warehouse) {

    public static final String PATH = "etl-pipeline.paths";

    public static StorePaths fromConfig(Config root) {
        ConfigSection c = ConfigSection.of(root, PATH);
        return new StorePaths(c.text("staging"), c.text("warehouse"));
    }

    /** Opens the store at these paths, with Hadoop configuration {@code conf}. */
    public MeasurementsStore open(Configuration conf) throws IOException {
        return MeasurementsStore.open(staging, warehouse, conf);
    }
}
