package org.iotpipeline.query.plan;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Sample;

/**
 * Whether a query over unchanged tables always gives the same answer, so that an answer may be
 * served again: no non-deterministic expression ({@code rand()}, {@code uuid()},
 * {@code monotonically_increasing_id()}, ...), no clock ({@code current_timestamp()},
 * {@code now()}, {@code current_date()}, ...), no sampling ({@code TABLESAMPLE} draws its seed per
 * statement). Errs on the side of "no".
 */
public final class RepeatableAnswers {

    /** Clock functions Spark counts as deterministic: it fixes them per query, not across queries. */
    private static final Set<String> CLOCKS = Set.of("Now", "LocalTimestamp");

    private RepeatableAnswers() {
    }

    public static boolean repeatable(LogicalPlan analyzed) {
        AtomicBoolean repeatable = new AtomicBoolean(true);
        check(analyzed, repeatable);
        return repeatable.get();
    }

    private static void check(LogicalPlan plan, AtomicBoolean repeatable) {
        PlanWalk.forEachNode(plan, node -> {
            if (node instanceof Sample) {
                repeatable.set(false);
            }
            for (Expression expression : PlanWalk.expressions(node)) {
                PlanWalk.forEachExpression(expression, e -> {
                    if (!e.deterministic() || isClock(e)) {
                        repeatable.set(false);
                    }
                }, subquery -> check(subquery, repeatable));
            }
        });
    }

    /** current_timestamp(), current_date(), current_timezone(), now(), localtimestamp() and the like. */
    private static boolean isClock(Expression e) {
        String name = e.getClass().getSimpleName();
        return name.startsWith("Current") || CLOCKS.contains(name);
    }
}
