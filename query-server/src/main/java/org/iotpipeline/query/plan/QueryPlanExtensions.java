package org.iotpipeline.query.plan;

import org.apache.spark.sql.SparkSessionExtensions;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * The query server's additions to Spark's optimizer, installed on its session by
 * {@code QuerySparkSession}: {@link TimePartitionPruning} in the "Pre CBO Rules" batch, after the
 * operator optimizations (filters pushed down to the scans, constants folded) and right before
 * Spark prunes the scans' partitions.
 */
public final class QueryPlanExtensions extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {

    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        extensions.injectPreCBORule(session -> new TimePartitionPruning());
        return BoxedUnit.UNIT;
    }
}
