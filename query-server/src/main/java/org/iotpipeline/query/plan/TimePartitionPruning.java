package org.iotpipeline.query.plan;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.catalyst.expressions.And;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.BinaryComparison;
import org.apache.spark.sql.catalyst.expressions.EqualTo;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GreaterThan;
import org.apache.spark.sql.catalyst.expressions.GreaterThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.LessThan;
import org.apache.spark.sql.catalyst.expressions.LessThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.Or;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.iotpipeline.store.MeasurementsSchema;
import scala.runtime.AbstractPartialFunction;

/**
 * Lets a filter on {@code window_start} skip the partitions that cannot hold a matching row, as a
 * filter on {@code year}/{@code month}/{@code day}/{@code hour} does.
 *
 * <p>Every table of the store is partitioned by the UTC calendar fields of its rows'
 * {@code window_start} (docs/storage.md): the 5-minute tables by hour, {@code measurements_1h} by day,
 * {@code measurements_1d} by month. A partition therefore holds only windows starting in
 * {@code [its start, its start + its length)}. From a comparison of {@code window_start} with a
 * timestamp literal this rule derives the same comparison on the partition columns — {@code
 * window_start >= T} becomes "partition at or after the partition of T", {@code window_start < T}
 * "partition at or before the partition of T − 1 µs" — and adds it to the filter (the tightest lower
 * and upper bound only: at most two conditions, however many comparisons a statement holds). Spark's own
 * partition pruning then lists only those partitions' files. The added condition is implied by the
 * one it came from, so it never changes a result; it only spares reading files that hold no match
 * (the one-week query of docs/perf-query.md opens 168 of the 720 hour files instead of all).
 *
 * <p>Applies to a filter directly over a Parquet relation whose partition columns are a prefix of
 * {@code year, month, day, hour} and which has a {@code window_start} timestamp column. Other
 * comparisons (on expressions of {@code window_start}, with non-literal bounds) are left alone.
 */
public final class TimePartitionPruning extends Rule<LogicalPlan> {

    private static final String WINDOW_START = MeasurementsSchema.WINDOW_START;
    private static final List<String> CALENDAR = MeasurementsSchema.PARTITION_COLUMNS;

    @Override
    public LogicalPlan apply(LogicalPlan plan) {
        return plan.transformUp(new AbstractPartialFunction<>() {
            @Override
            public boolean isDefinedAt(LogicalPlan node) {
                return node instanceof Filter filter && filter.child() instanceof LogicalRelation;
            }

            @Override
            public <A1 extends LogicalPlan, B1> B1 applyOrElse(A1 node, scala.Function1<A1, B1> fallback) {
                if (!isDefinedAt(node)) {
                    return fallback.apply(node);
                }
                @SuppressWarnings("unchecked")
                B1 rewritten = (B1) withPartitionBounds((Filter) node);
                return rewritten;
            }
        });
    }

    private static LogicalPlan withPartitionBounds(Filter filter) {
        LogicalRelation relation = (LogicalRelation) filter.child();
        Optional<TimeLayout> layout = TimeLayout.of(relation);
        if (layout.isEmpty()) {
            return filter;
        }
        List<Expression> conjuncts = new ArrayList<>();
        splitConjuncts(filter.condition(), conjuncts);
        // Only the tightest bounds matter: at most two conditions are added, however many comparisons
        // a statement holds.
        Range range = Range.ALL;
        for (Expression conjunct : conjuncts) {
            range = range.intersect(layout.get().range(conjunct));
        }
        Set<Expression> present = new HashSet<>();
        conjuncts.forEach(conjunct -> present.add(conjunct.canonicalized()));
        Expression condition = filter.condition();
        for (Expression bound : layout.get().partitionBounds(range)) {
            if (present.add(bound.canonicalized())) {
                condition = new And(condition, bound);
            }
        }
        return condition == filter.condition() ? filter : new Filter(condition, relation);
    }

    private static void splitConjuncts(Expression condition, List<Expression> out) {
        if (condition instanceof And and) {
            splitConjuncts(and.left(), out);
            splitConjuncts(and.right(), out);
        } else {
            out.add(condition);
        }
    }

    /** An inclusive range of window_start in microseconds; {@code Long.MIN_VALUE}/{@code MAX_VALUE}: unbounded. */
    private record Range(long fromMicros, long toMicros) {
        static final Range ALL = new Range(Long.MIN_VALUE, Long.MAX_VALUE);

        Range intersect(Range other) {
            return new Range(Math.max(fromMicros, other.fromMicros), Math.min(toMicros, other.toMicros));
        }
    }

    /** A relation's {@code window_start} column and calendar partition columns (year first). */
    private record TimeLayout(AttributeReference windowStart, List<AttributeReference> partitions) {

        static Optional<TimeLayout> of(LogicalRelation relation) {
            if (!(relation.relation() instanceof HadoopFsRelation files)) {
                return Optional.empty();
            }
            StructField[] partitionFields = files.partitionSchema().fields();
            if (partitionFields.length == 0 || partitionFields.length > CALENDAR.size()) {
                return Optional.empty();
            }
            List<AttributeReference> partitions = new ArrayList<>();
            for (int i = 0; i < partitionFields.length; i++) {
                String expected = CALENDAR.get(i);
                if (!partitionFields[i].name().toLowerCase(Locale.ROOT).equals(expected)) {
                    return Optional.empty();
                }
                Optional<AttributeReference> column = column(relation, expected);
                if (column.isEmpty() || !column.get().dataType().equals(DataTypes.IntegerType)) {
                    return Optional.empty();
                }
                partitions.add(column.get());
            }
            return column(relation, WINDOW_START)
                    .filter(c -> c.dataType().equals(DataTypes.TimestampType))
                    .map(windowStart -> new TimeLayout(windowStart, List.copyOf(partitions)));
        }

        private static Optional<AttributeReference> column(LogicalRelation relation, String name) {
            scala.collection.Iterator<AttributeReference> columns = relation.output().iterator();
            while (columns.hasNext()) {
                AttributeReference column = columns.next();
                if (column.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return Optional.of(column);
                }
            }
            return Optional.empty();
        }

        /** The range of window_start a comparison with a literal allows; {@link Range#ALL} for any other condition. */
        Range range(Expression conjunct) {
            if (!(conjunct instanceof BinaryComparison comparison)) {
                return Range.ALL;
            }
            Expression left = comparison.left();
            Expression right = comparison.right();
            boolean columnLeft = isWindowStart(left) && isTimestamp(right);
            boolean columnRight = isWindowStart(right) && isTimestamp(left);
            if (!columnLeft && !columnRight) {
                return Range.ALL;
            }
            long micros = (Long) ((Literal) (columnLeft ? right : left)).value();
            // Normalised to "window_start <op> micros".
            if (comparison instanceof EqualTo) {
                return new Range(micros, micros);
            }
            boolean lower = columnLeft ? comparison instanceof GreaterThan || comparison instanceof GreaterThanOrEqual
                    : comparison instanceof LessThan || comparison instanceof LessThanOrEqual;
            boolean upper = columnLeft ? comparison instanceof LessThan || comparison instanceof LessThanOrEqual
                    : comparison instanceof GreaterThan || comparison instanceof GreaterThanOrEqual;
            boolean strict = comparison instanceof GreaterThan || comparison instanceof LessThan;
            if (lower && !(strict && micros == Long.MAX_VALUE)) {
                return new Range(strict ? micros + 1 : micros, Long.MAX_VALUE);
            }
            if (upper && !(strict && micros == Long.MIN_VALUE)) {
                return new Range(Long.MIN_VALUE, strict ? micros - 1 : micros);
            }
            return Range.ALL; // <=> (null-safe equality) and other comparisons
        }

        /** The conditions on the partition columns that a range of window_start implies. */
        List<Expression> partitionBounds(Range range) {
            List<Expression> bounds = new ArrayList<>(2);
            if (range.fromMicros() != Long.MIN_VALUE) {
                bounds.add(compare(calendarOf(range.fromMicros()), 0, true));
            }
            if (range.toMicros() != Long.MAX_VALUE) {
                bounds.add(compare(calendarOf(range.toMicros()), 0, false));
            }
            return bounds;
        }

        private boolean isWindowStart(Expression expression) {
            return expression instanceof AttributeReference attribute && attribute.semanticEquals(windowStart);
        }

        private static boolean isTimestamp(Expression expression) {
            return expression instanceof Literal literal && literal.dataType().equals(DataTypes.TimestampType)
                    && literal.value() != null;
        }

        /** Partitions whose calendar fields are after (or before) those of the instant, or equal: (y, m, d, h) >= (…). */
        private Expression compare(int[] values, int index, boolean after) {
            Attribute column = partitions.get(index);
            Literal value = Literal.create(values[index], DataTypes.IntegerType);
            if (index == partitions.size() - 1) {
                return after ? new GreaterThanOrEqual(column, value) : new LessThanOrEqual(column, value);
            }
            Expression beyond = after ? new GreaterThan(column, value) : new LessThan(column, value);
            return new Or(beyond, new And(new EqualTo(column, value), compare(values, index + 1, after)));
        }

        private static int[] calendarOf(long micros) {
            LocalDateTime utc = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), 0, ZoneOffset.UTC);
            return new int[] {utc.getYear(), utc.getMonthValue(), utc.getDayOfMonth(), utc.getHour()};
        }
    }
}
