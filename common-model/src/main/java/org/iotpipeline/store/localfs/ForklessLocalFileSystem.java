package org.iotpipeline.store.localfs;

import org.apache.hadoop.fs.LocalFileSystem;

/**
 * {@code fs.file.impl}: Hadoop's checksummed local file system over {@link ForklessRawLocalFileSystem}.
 * Set by the ETL's and the query server's default Spark configuration
 * ({@code spark.hadoop.fs.file.impl}).
 */
public class ForklessLocalFileSystem extends LocalFileSystem {

    public ForklessLocalFileSystem() {
        super(new ForklessRawLocalFileSystem());
    }
}
