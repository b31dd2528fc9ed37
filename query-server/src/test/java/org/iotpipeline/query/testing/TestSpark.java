package org.iotpipeline.query.testing;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.query.QuerySparkSession;

/**
 * The local SparkSession an integration test class shares, built by the server's own
 * {@link QuerySparkSession} (so with its locked settings), small for tests.
 */
public final class TestSpark {

    private TestSpark() {
    }

    public static SparkSession start() {
        return QuerySparkSession.create(Map.of(
                "spark.master", "local[2]",
                "spark.app.name", "query-server-test",
                "spark.ui.enabled", "false",
                "spark.sql.shuffle.partitions", "2",
                "spark.sql.session.timeZone", "UTC",
                "spark.sql.datetime.java8API.enabled", "true"));
    }
}
