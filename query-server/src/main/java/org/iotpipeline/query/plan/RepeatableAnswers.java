package org.iotpipeline.query.plan;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Sample;
import org.apache.spark.sql.types.DataTypes;

/**
 * Whether a statement over unchanged tables always gives the same answer, so that an answer may be
 * served again. Not when it has a non-deterministic expression ({@code rand()}, {@code uuid()},
 * {@code monotonically_increasing_id()}, ...), reads the clock ({@code current_timestamp()},
 * {@code now()}, {@code current_date()}, the strings {@code 'now'}, {@code 'today'},
 * {@code 'yesterday'}, {@code 'tomorrow'} as dates or timestamps — typed literals of those become
 * constants already in the parser), samples ({@code TABLESAMPLE} draws its seed per statement), or
 * is a command ({@code EXPLAIN}, {@code SHOW}, {@code DESCRIBE}: cheap, and EXPLAIN shows
 * per-statement seeds and ids). Errs on the side of "no".
 */
public final class RepeatableAnswers {

    /** Clock functions: Spark counts them deterministic, as it fixes them per statement. */
    private static final Set<String> CLOCKS = Set.of("CurrentTimestamp", "Now", "CurrentDate", "CurrentTime",
            "LocalTimestamp", "CurrentBatchTimestamp");
    /** Strings Spark reads as a date or timestamp relative to the clock. */
    private static final Set<String> RELATIVE_DATES = Set.of("now", "today", "yesterday", "tomorrow");
    /** A typed date or timestamp literal: {@code TIMESTAMP '...'}, {@code DATE "..."}. */
    private static final Pattern TYPED_LITERAL = Pattern.compile(
            "\\b(?:date|timestamp(?:_ltz|_ntz)?)\\s*(['\"])(.*?)\\1", Pattern.CASE_INSENSITIVE);
    /** What a fixed date or time is written with; anything else may be 'now', maybe spelled with escapes. */
    private static final Pattern FIXED_DATE_TIME = Pattern.compile("[0-9 :.TtZz+\\-]*");

    private RepeatableAnswers() {
    }

    /**
     * @param analyzed   the statement's analyzed plan
     * @param sql        its text
     * @param parameters its named parameters
     */
    public static boolean repeatable(LogicalPlan analyzed, String sql, Map<String, Object> parameters) {
        if (analyzed instanceof Command || analyzed.getClass().getSimpleName().equals("CommandResult")) {
            return false;
        }
        Matcher typed = TYPED_LITERAL.matcher(sql);
        while (typed.find()) {
            if (!FIXED_DATE_TIME.matcher(typed.group(2)).matches()) {
                return false;
            }
        }
        for (Object value : parameters.values()) {
            if (value instanceof String text && isRelativeDate(text)) {
                return false;
            }
        }
        AtomicBoolean repeatable = new AtomicBoolean(true);
        check(analyzed, new PlanWalk(), repeatable);
        return repeatable.get();
    }

    private static void check(LogicalPlan plan, PlanWalk walk, AtomicBoolean repeatable) {
        walk.forEachNode(plan, node -> {
            if (node instanceof Sample || node instanceof Command) {
                repeatable.set(false);
            }
            for (Expression expression : PlanWalk.expressions(node)) {
                PlanWalk.forEachExpression(expression, e -> {
                    if (!e.deterministic() || CLOCKS.contains(e.getClass().getSimpleName()) || isRelativeDate(e)) {
                        repeatable.set(false);
                    }
                }, subquery -> check(subquery, walk, repeatable));
            }
        });
    }

    /** A string constant such as 'now' that a cast to a date or timestamp reads from the clock. */
    private static boolean isRelativeDate(Expression e) {
        return e instanceof Literal literal && literal.value() != null
                && DataTypes.StringType.sameType(literal.dataType()) && isRelativeDate(literal.value().toString());
    }

    private static boolean isRelativeDate(String text) {
        return RELATIVE_DATES.contains(text.strip().toLowerCase(Locale.ROOT));
    }
}
