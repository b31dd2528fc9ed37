package org.iotpipeline.store.localfs;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;

/**
 * {@code fs.AbstractFileSystem.file.impl}: what {@code FileContext} (Spark's checkpoint logs) uses for
 * {@code file:} paths — Hadoop's checksummed local file system over {@link ForklessRawLocalFileSystem},
 * as Hadoop's {@code LocalFs} is over {@code RawLocalFileSystem}.
 */
public class ForklessLocalFs extends ChecksumFs {

    public ForklessLocalFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
        super(new Raw(uri, conf));
    }

    /** Hadoop's {@code RawLocalFs}, delegating to {@link ForklessRawLocalFileSystem}. */
    static final class Raw extends DelegateToFileSystem {

        Raw(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(uri, new ForklessRawLocalFileSystem(), conf, "file", false);
        }

        @Override
        public int getUriDefaultPort() {
            return -1; // no port for file: URIs
        }

        @Override
        public boolean isValidName(String src) {
            return true; // as RawLocalFs: any local name will do
        }
    }
}
