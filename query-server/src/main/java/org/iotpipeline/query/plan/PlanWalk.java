package org.iotpipeline.query.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.plans.QueryPlan;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One walk over a logical plan: every node and every expression in it, subqueries included, each
 * node once. A subquery's plan is reachable twice from its node — as an inner child and through
 * its expression — so a walk that followed both would double its work per level of nesting (40
 * nested subqueries, a tiny statement, would be 2^40 visits). Not thread-safe: one walk per check.
 */
public final class PlanWalk {

    private final Set<LogicalPlan> visited = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Marks a plan node as visited; false if this walk visited it before. */
    public boolean firstVisit(LogicalPlan plan) {
        return visited.add(plan);
    }

    /**
     * Every node of a plan that this walk has not visited yet, with its inner children (CTE
     * definitions, the plans of subquery expressions).
     */
    public void forEachNode(LogicalPlan plan, Consumer<LogicalPlan> visitor) {
        if (!firstVisit(plan)) {
            return;
        }
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
