package org.iotpipeline.query.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.plans.QueryPlan;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.jdk.javaapi.CollectionConverters;

/** Visits every node of a logical plan and every expression in it, subqueries included. */
public final class PlanWalk {

    private PlanWalk() {
    }

    /** Every node of a plan, with its CTE definitions (inner children); not the plans of subquery expressions. */
    public static void forEachNode(LogicalPlan plan, Consumer<LogicalPlan> visitor) {
        visitor.accept(plan);
        for (LogicalPlan child : list(plan.children())) {
            forEachNode(child, visitor);
        }
        for (QueryPlan<?> inner : list(plan.innerChildren())) {
            if (inner instanceof LogicalPlan innerPlan) {
                forEachNode(innerPlan, visitor);
            }
        }
    }

    /** An expression and all below it; the plan of each subquery expression goes to {@code subqueries}. */
    public static void forEachExpression(Expression expression, Consumer<Expression> visitor,
                                         Consumer<LogicalPlan> subqueries) {
        visitor.accept(expression);
        if (expression instanceof SubqueryExpression subquery) {
            subqueries.accept(subquery.plan());
        }
        for (Expression child : list(expression.children())) {
            forEachExpression(child, visitor, subqueries);
        }
    }

    /** The expressions of one node. */
    public static List<Expression> expressions(LogicalPlan node) {
        return list(node.expressions());
    }

    private static <T> List<T> list(scala.collection.Iterable<T> items) {
        return new ArrayList<>(CollectionConverters.asJavaCollection(items));
    }
}
