package org.iotpipeline.query.testing;

import org.apache.spark.sql.SparkSession;

/** The local SparkSession an integration test class shares, configured as the server configures its own. */
public final class TestSpark {

    private TestSpark() {
    }

    public static SparkSession start() {
        return SparkSession.builder()
                .master("local[2]")
                .appName("query-server-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.runSQLOnFiles", "false")
                .config("spark.sql.datetime.java8API.enabled", "true")
                .getOrCreate();
    }
}
