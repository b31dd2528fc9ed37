package org.iotpipeline.query;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.iotpipeline.query.plan.QueryPlanExtensions;

/** Builds the server's one long-lived SparkSession from {@code query-server.spark}. */
public final class QuerySparkSession {

    private QuerySparkSession() {
    }

    /**
     * Starts (or joins) the SparkSession with every {@code spark.*} setting of the configuration,
     * and the {@link LockedSparkSettings} over them.
     */
    public static SparkSession create(Map<String, String> sparkConf) {
        SparkSession.Builder builder = SparkSession.builder().withExtensions(new QueryPlanExtensions());
        LockedSparkSettings.applyTo(sparkConf).forEach(builder::config);
        return builder.getOrCreate();
    }
}
