package org.iotpipeline.cluster;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import sun.misc.Signal;

/**
 * A real HDFS NameNode and DataNode in one process, for the local cluster of {@code scripts/cluster}:
 * {@link MiniDFSCluster} on a fixed NameNode port with its storage in a directory that survives
 * restarts (formatted on the first start only). Prints {@code READY: HDFS on hdfs://host:port} once
 * clients can write, and shuts both nodes down on SIGTERM.
 *
 * <pre>java -Xmx384m -cp "cluster-kit/target/cluster-kit.jar:cluster-kit/target/lib/*" \
 *     org.iotpipeline.cluster.HdfsMain DATA_DIR [NAMENODE_PORT (default 19820)] [HTTP_PORT (default 19870)]</pre>
 */
public final class HdfsMain {

    private HdfsMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: HdfsMain DATA_DIR [NAMENODE_PORT] [HTTP_PORT]");
            System.exit(2);
        }
        File dataDir = new File(args[0]).getAbsoluteFile();
        int port = args.length > 1 ? parsePort(args[1]) : 19820;
        int httpPort = args.length > 2 ? parsePort(args[2]) : 19870;
        // MiniDFSCluster keeps the NameNode's image in name-0-1 and name-0-2: format only a new directory.
        boolean format = !new File(dataDir, "name-0-1").isDirectory();

        Configuration conf = new Configuration();
        // One DataNode: one replica per block. Any local user may write (no Kerberos, no owners here).
        conf.setInt("dfs.replication", 1);
        conf.setBoolean("dfs.permissions.enabled", false);
        conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        // Small blocks are no concern; keep the NameNode's and DataNode's thread pools small.
        conf.setInt("dfs.namenode.handler.count", 10);
        conf.setInt("dfs.datanode.handler.count", 5);
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dataDir.getPath());

        long started = System.nanoTime();
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, dataDir)
                .nameNodePort(port)
                .nameNodeHttpPort(httpPort)
                .numDataNodes(1)
                .format(format)
                .manageNameDfsDirs(true)
                .manageDataDfsDirs(true)
                .waitSafeMode(true)
                .build();
        cluster.waitActive();
        URI uri = URI.create(String.format(Locale.ROOT, "hdfs://127.0.0.1:%d", cluster.getNameNodePort()));
        probe(uri, conf);

        // SIGTERM/SIGINT stop the nodes on the main thread, before the JVM exits: inside a shutdown
        // hook Hadoop's own hook manager refuses to unregister and the DataNode stops with errors.
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        System.out.println(String.format(Locale.ROOT, "READY: HDFS on %s (data in %s, %s, started in %d ms)",
                uri, dataDir, format ? "formatted now" : "existing namespace",
                (System.nanoTime() - started) / 1_000_000));
        stop.await();
        System.out.println("Stopping HDFS on " + uri);
        cluster.shutdown();
        System.out.println("HDFS stopped");
        System.exit(0);
    }

    /** Writes, reads back and deletes a file, so READY means a client can use the file system. */
    private static void probe(URI uri, Configuration conf) throws IOException {
        try (FileSystem fs = FileSystem.newInstance(uri, conf)) {
            Path probe = new Path("/.ready-probe");
            try (var out = fs.create(probe, true)) {
                out.writeUTF("ready");
            }
            try (var in = fs.open(probe)) {
                if (!"ready".equals(in.readUTF())) {
                    throw new IOException("HDFS returned other bytes than written to " + probe);
                }
            }
            fs.delete(probe, false);
        }
    }

    private static int parsePort(String text) {
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a port must be in 1..65535 but got " + text);
        }
        return port;
    }
}
