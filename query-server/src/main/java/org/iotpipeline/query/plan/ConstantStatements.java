package org.iotpipeline.query.plan;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.GlobalLimit;
import org.apache.spark.sql.catalyst.plans.logical.LocalLimit;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.OneRowRelation;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.classic.SparkSession;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Answers a client's statement that reads no table ({@code SELECT 1}, {@code SELECT now()}) on the
 * driver, without a Spark job.
 *
 * <p>Spark plans {@code SELECT <expressions>} as a projection over its one-row relation and runs a
 * job for it (an RDD of one row, closure cleaning, call site, scheduling: ~24 of the 35 ms a
 * {@code SELECT 1} round trip took, docs/perf-query.md). A local relation holding one empty row is
 * the same relation; over it Spark's own {@code ConvertToLocalRelation} evaluates the projection,
 * filter and limit while optimizing, and a local relation is collected without a job.
 *
 * <p>Only a client's statement is rewritten, here and not by an optimizer rule: Spark itself
 * optimizes projections over the one-row relation (binding query parameters) and expects a
 * projection back. Only a plan made of nothing but projections, filters and limits over the one-row
 * relation, with no subquery, is changed; anything else (a generator, an aggregate, a table, a subquery)
 * keeps Spark's plan. The
 * expressions evaluated are the statement's, which Spark's constant folding already evaluates on the
 * driver.
 */
public final class ConstantStatements {

    private ConstantStatements() {
    }

    /** The statement as it will run: on the driver if it reads nothing but the one row, else unchanged. */
    public static Dataset<Row> answeredOnDriver(Dataset<Row> statement) {
        LogicalPlan analyzed = statement.queryExecution().analyzed();
        if (!(statement.sparkSession() instanceof SparkSession session) || !readsOnlyTheOneRow(analyzed)) {
            return statement;
        }
        return org.apache.spark.sql.classic.Dataset.ofRows(session, replaceOneRow(analyzed));
    }

    private static boolean readsOnlyTheOneRow(LogicalPlan plan) {
        if (plan instanceof OneRowRelation) {
            return true;
        }
        boolean passThrough = plan instanceof Project || plan instanceof Filter || plan instanceof GlobalLimit
                || plan instanceof LocalLimit;
        return passThrough && plan.children().size() == 1 && !plan.expressions().exists(SubqueryExpression::hasSubquery)
                && readsOnlyTheOneRow(plan.children().head());
    }

    private static LogicalPlan replaceOneRow(LogicalPlan plan) {
        if (plan instanceof OneRowRelation) {
            return new LocalRelation(CollectionConverters.asScala(List.<Attribute>of()).toSeq(),
                    CollectionConverters.asScala(List.of(InternalRow.empty())).toSeq(), false, Option.empty());
        }
        LogicalPlan child = replaceOneRow(plan.children().head());
        return plan.withNewChildren(CollectionConverters.asScala(List.of(child)).toSeq());
    }
}
