package org.iotpipeline.query.guard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.analysis.ExpressionWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.NamedParameter;
import org.apache.spark.sql.catalyst.analysis.PlanWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.analysis.UnresolvedGenerator;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTable;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableOrView;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction;
import org.apache.spark.sql.catalyst.analysis.UnresolvedView;
import org.apache.spark.sql.catalyst.expressions.CallMethodViaReflection;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ILike;
import org.apache.spark.sql.catalyst.expressions.Like;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.MultiLikeBase;
import org.apache.spark.sql.catalyst.expressions.RLike;
import org.apache.spark.sql.catalyst.expressions.UserDefinedExpression;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.QueryPlan;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.command.DescribeQueryCommand;
import org.apache.spark.sql.execution.command.ExplainCommand;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.iotpipeline.query.plan.PlanWalk;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Decides whether a SQL statement may run, from the plan Spark's own parser makes of it, never
 * from the text: only queries (SELECT, WITH, VALUES, TABLE, pipe syntax), SHOW, DESCRIBE and
 * EXPLAIN of those pass. Everything else is refused with a reason naming what was found.
 *
 * <p>Checked on the <b>parsed</b> plan, before Spark runs anything (Spark executes commands as
 * soon as {@code spark.sql} is called):
 * <ul>
 *   <li>every plan node, down into CTEs and subqueries, is a query operator from a fixed allow
 *       list (so DDL, DML, SET, ADD JAR, CACHE, REFRESH, USE, CREATE TEMP VIEW/FUNCTION,
 *       EXECUTE IMMEDIATE, SQL scripting, {@code SELECT TRANSFORM ... USING 'cmd'} and any
 *       statement kind a newer Spark adds are refused); the top node may also be one of the
 *       listed SHOW/DESCRIBE/EXPLAIN commands;</li>
 *   <li>no table name is a file path or a data source ({@code parquet.`/path`}, {@code `/etc`});</li>
 *   <li>table functions are from an allow list ({@code range}, {@code explode}, ...);</li>
 *   <li>no function reaches the JVM or the file system ({@code reflect}, {@code java_method},
 *       {@code try_reflect}, {@code from_protobuf}/{@code to_protobuf} (descriptor files),
 *       {@code from_avro}/{@code to_avro}/{@code schema_of_avro} (schema URLs));</li>
 *   <li>{@code IDENTIFIER(...)} is resolved when it is a literal or a named parameter and checked
 *       like a written name; computed identifiers are refused.</li>
 * </ul>
 *
 * <p>Checked again on the <b>analyzed</b> plan ({@link #checkAnalyzed}), as defence in depth: no
 * reflection call or user-defined function, and every file relation lies under the store roots.
 *
 * <p>Thread-safe.
 */
public final class SqlGuard {

    private static final String LOGICAL = "org.apache.spark.sql.catalyst.plans.logical.";
    private static final String ANALYSIS = "org.apache.spark.sql.catalyst.analysis.";
    private static final String COMMAND = "org.apache.spark.sql.execution.command.";

    /** Operators the parser produces for queries; they only read their children. */
    private static final Set<String> QUERY_NODES = Set.of(
            LOGICAL + "Project", LOGICAL + "Filter", LOGICAL + "Aggregate", LOGICAL + "Sort",
            LOGICAL + "GlobalLimit", LOGICAL + "LocalLimit", LOGICAL + "LimitAll", LOGICAL + "Offset",
            LOGICAL + "Tail", LOGICAL + "Distinct", LOGICAL + "Deduplicate", LOGICAL + "Union",
            LOGICAL + "Intersect", LOGICAL + "Except", LOGICAL + "Join", LOGICAL + "LateralJoin",
            LOGICAL + "AsOfJoin", LOGICAL + "Generate", LOGICAL + "Window", LOGICAL + "WithWindowDefinition",
            LOGICAL + "Pivot", LOGICAL + "Unpivot", LOGICAL + "Sample", LOGICAL + "SubqueryAlias",
            LOGICAL + "UnresolvedWith", LOGICAL + "WithCTE", LOGICAL + "CTERelationDef", LOGICAL + "CTERelationRef",
            LOGICAL + "OneRowRelation", LOGICAL + "LocalRelation", LOGICAL + "EmptyRelation", LOGICAL + "Range",
            LOGICAL + "Repartition", LOGICAL + "RepartitionByExpression", LOGICAL + "RebalancePartitions",
            LOGICAL + "UnresolvedHint", LOGICAL + "ResolvedHint", LOGICAL + "Expand", LOGICAL + "Transpose",
            LOGICAL + "UnionLoop", LOGICAL + "UnionLoopRef",
            ANALYSIS + "UnresolvedRelation", ANALYSIS + "UnresolvedInlineTable", ANALYSIS + "ResolvedInlineTable",
            ANALYSIS + "UnresolvedTableValuedFunction", ANALYSIS + "UnresolvedTVFAliases",
            ANALYSIS + "UnresolvedSubqueryColumnAliases", ANALYSIS + "UnresolvedHaving", ANALYSIS + "UnresolvedQualify",
            ANALYSIS + "PlanWithUnresolvedIdentifier", ANALYSIS + "UnresolvedTranspose",
            "org.apache.spark.sql.catalyst.expressions.PipeOperator",
            // Operands of SHOW/DESCRIBE: names still to be resolved, read-only.
            ANALYSIS + "UnresolvedTableOrView", ANALYSIS + "UnresolvedTable", ANALYSIS + "UnresolvedView",
            ANALYSIS + "UnresolvedNamespace", ANALYSIS + "UnresolvedFunctionName", ANALYSIS + "CurrentNamespace$");

    /** Read-only commands allowed as the whole statement (or under EXPLAIN). */
    private static final Set<String> READ_ONLY_COMMANDS = Set.of(
            LOGICAL + "ShowTables", LOGICAL + "ShowTablesExtended", LOGICAL + "ShowViews", LOGICAL + "ShowColumns",
            LOGICAL + "ShowFunctions", LOGICAL + "ShowCreateTable", LOGICAL + "ShowTableProperties",
            LOGICAL + "ShowPartitions", LOGICAL + "ShowNamespaces", LOGICAL + "DescribeRelation",
            LOGICAL + "DescribeColumn", LOGICAL + "DescribeFunction",
            COMMAND + "ShowNamespacesCommand", COMMAND + "ShowCatalogsCommand", COMMAND + "ShowCurrentNamespaceCommand");

    /** Table-valued functions that only compute rows from their arguments. */
    private static final Set<String> ALLOWED_TABLE_FUNCTIONS = Set.of(
            "range", "explode", "explode_outer", "inline", "inline_outer", "posexplode", "posexplode_outer",
            "stack", "json_tuple", "sql_keywords", "collations", "variant_explode", "variant_explode_outer");

    /** Data source names Spark would read a path with (`format`.`path`), whether or not installed. */
    private static final Set<String> WELL_KNOWN_SOURCES = Set.of(
            "parquet", "orc", "json", "csv", "text", "avro", "binaryfile", "xml", "jdbc", "libsvm", "image",
            "delta", "iceberg", "hudi", "kafka", "noop", "console", "rate", "socket", "hive", "file");

    private final ParserInterface parser;
    private final FunctionPolicy functions;
    private final List<String> allowedRoots;
    private final Set<String> dataSourceNames;

    /**
     * @param parser       Spark's SQL parser ({@code spark.sessionState().sqlParser()})
     * @param functions    which functions a query may call
     * @param allowedRoots fully qualified roots under which file relations may lie (the store's
     *                     staging and warehouse roots)
     */
    public SqlGuard(ParserInterface parser, FunctionPolicy functions, Collection<Path> allowedRoots) {
        this.parser = java.util.Objects.requireNonNull(parser, "parser is null");
        this.functions = java.util.Objects.requireNonNull(functions, "functions is null");
        this.allowedRoots = allowedRoots.stream().map(root -> withSlash(normalized(root))).toList();
        Set<String> names = new TreeSet<>(WELL_KNOWN_SOURCES);
        for (DataSourceRegister source : ServiceLoader.load(DataSourceRegister.class, SqlGuard.class.getClassLoader())) {
            names.add(source.shortName().toLowerCase(Locale.ROOT));
        }
        this.dataSourceNames = Set.copyOf(names);
    }

    /**
     * Parses {@code sql} and refuses it unless it is a read-only query or SHOW/DESCRIBE/EXPLAIN.
     *
     * @param parameters the named parameters the statement will run with (to resolve
     *                   {@code IDENTIFIER(:name)})
     * @throws RefusedQueryException if the statement must not run
     * @throws org.apache.spark.sql.catalyst.parser.ParseException if it is not valid SQL
     */
    public void checkStatement(String sql, Map<String, Object> parameters) throws ParseException {
        LogicalPlan plan = parser.parsePlan(sql);
        new Walk(parameters).statement(plan);
    }

    /**
     * Refuses an analyzed plan that calls Java methods by reflection, runs a user-defined function,
     * or reads files outside the store roots. The parsed-plan check already keeps these out; this
     * catches a way around it that the parsed plan did not show.
     *
     * @throws RefusedQueryException if the plan must not run
     */
    public void checkAnalyzed(LogicalPlan analyzed) {
        checkAnalyzed(analyzed, new PlanWalk());
    }

    private void checkAnalyzed(LogicalPlan analyzed, PlanWalk walk) {
        walk.forEachNode(analyzed, node -> {
            if (node instanceof LogicalRelation relation) {
                checkRelationLocation(relation);
            } else if (node.getClass().getName().startsWith("org.apache.spark.sql.execution.datasources.v2.")
                    || node.getClass().getName().equals("org.apache.spark.sql.catalyst.catalog.HiveTableRelation")
                    || node.getClass().getName().equals(LOGICAL + "ScriptTransformation")) {
                throw new RefusedQueryException("reading through " + node.nodeName() + " is not allowed; query the"
                        + " table measurements");
            }
            for (Expression expression : list(node.expressions())) {
                PlanWalk.forEachExpression(expression, e -> {
                    if (e instanceof CallMethodViaReflection) {
                        throw deniedFunction("reflect");
                    }
                    if (functions.deniedExpressionClasses().contains(e.getClass().getName())) {
                        throw new RefusedQueryException("expression '" + e.prettyName() + "' is not allowed");
                    }
                    if (e instanceof UserDefinedExpression udf) {
                        throw new RefusedQueryException("user-defined function '" + udf.name() + "' is not allowed");
                    }
                }, subquery -> checkAnalyzed(subquery, walk));
            }
        });
    }

    /** Whether {@code path} (as an error message names it) lies under one of the store roots. */
    public boolean isStoreFile(String path) {
        try {
            String location = normalized(new Path(path));
            return allowedRoots.stream().anyMatch(location::startsWith);
        } catch (IllegalArgumentException e) {
            return false; // not a path at all
        }
    }

    private void checkRelationLocation(LogicalRelation relation) {
        if (!(relation.relation() instanceof HadoopFsRelation files)) {
            throw new RefusedQueryException("reading relation " + relation.relation().getClass().getSimpleName()
                    + " is not allowed; query the table measurements");
        }
        for (Path root : list(files.location().rootPaths())) {
            String location = normalized(root);
            if (allowedRoots.stream().noneMatch(location::startsWith)) {
                throw new RefusedQueryException("reading " + location + " is not allowed: it is outside the store;"
                        + " query the table measurements");
            }
        }
    }

    /** One check of one parsed statement. */
    private final class Walk {

        private final Map<String, Object> parameters;
        /** Each node checked once: see {@link PlanWalk} for why that matters. */
        private final PlanWalk walk = new PlanWalk();

        Walk(Map<String, Object> parameters) {
            this.parameters = parameters;
        }

        void statement(LogicalPlan plan) {
            if (plan instanceof ExplainCommand explain) {
                LogicalPlan inner = explain.logicalPlan();
                if (inner instanceof ExplainCommand) {
                    throw refused(inner);
                }
                statement(inner);
            } else if (plan instanceof DescribeQueryCommand describe) {
                query(describe.plan());
            } else if (READ_ONLY_COMMANDS.contains(plan.getClass().getName())) {
                node(plan);
                children(plan);
            } else {
                query(plan);
            }
        }

        void query(LogicalPlan plan) {
            if (!walk.firstVisit(plan)) {
                return; // checked already, reached again as a subquery expression's plan
            }
            if (!QUERY_NODES.contains(plan.getClass().getName())) {
                throw refused(plan);
            }
            node(plan);
            children(plan);
        }

        private void children(LogicalPlan plan) {
            for (LogicalPlan child : list(plan.children())) {
                query(child);
            }
            for (QueryPlan<?> inner : list(plan.innerChildren())) {
                if (inner instanceof LogicalPlan innerPlan) {
                    query(innerPlan);
                }
            }
        }

        private void node(LogicalPlan plan) {
            if (plan instanceof UnresolvedRelation relation) {
                relationName(list(relation.multipartIdentifier()));
            } else if (plan instanceof UnresolvedTableOrView relation) {
                relationName(list(relation.multipartIdentifier()));
            } else if (plan instanceof UnresolvedTable relation) {
                relationName(list(relation.multipartIdentifier()));
            } else if (plan instanceof UnresolvedView relation) {
                relationName(list(relation.multipartIdentifier()));
            } else if (plan instanceof UnresolvedTableValuedFunction function) {
                String name = last(list(function.name()));
                if (!ALLOWED_TABLE_FUNCTIONS.contains(name)) {
                    throw new RefusedQueryException("table function '" + name + "' is not allowed; allowed are "
                            + new TreeSet<>(ALLOWED_TABLE_FUNCTIONS));
                }
            } else if (plan instanceof PlanWithUnresolvedIdentifier identifier) {
                relationName(identifierParts(identifier.identifierExpr()));
            }
            for (Expression expression : list(plan.expressions())) {
                PlanWalk.forEachExpression(expression, this::expression, this::query);
            }
        }

        private void expression(Expression expression) {
            if (expression instanceof UnresolvedFunction function) {
                String name = last(list(function.nameParts()));
                functionName(name);
                arguments(name, list(function.arguments()));
            } else if (expression instanceof RLike) {
                functionName("rlike");
            } else if (expression instanceof Like like) {
                PatternRules.checkLike("LIKE", like.right(), like.escapeChar(), parameters);
            } else if (expression instanceof ILike like) {
                PatternRules.checkLike("ILIKE", like.right(), like.escapeChar(), parameters);
            } else if (expression instanceof MultiLikeBase like) {
                for (Object pattern : list(like.patterns())) {
                    PatternRules.checkLikeText("LIKE", String.valueOf(pattern), '\\');
                }
            } else if (expression instanceof UnresolvedGenerator generator) {
                functionName(generator.name().funcName());
            } else if (expression instanceof ExpressionWithUnresolvedIdentifier identifier) {
                functionName(last(identifierParts(identifier.identifierExpr())));
            }
        }

        /** Functions whose constant arguments Spark turns into regular expressions or LIKE patterns. */
        private void arguments(String name, List<Expression> arguments) {
            switch (name) {
                case "like", "ilike" -> {
                    if (arguments.size() >= 2) {
                        PatternRules.checkLike(name.toUpperCase(Locale.ROOT), arguments.get(1), '\\', parameters);
                    }
                }
                case "split" -> PatternRules.checkPlainDelimiter(name, arguments, 1, parameters);
                case "str_to_map" -> {
                    PatternRules.checkPlainDelimiter(name, arguments, 1, parameters);
                    PatternRules.checkPlainDelimiter(name, arguments, 2, parameters);
                }
                case "parse_url", "try_parse_url" -> PatternRules.checkPlainDelimiter(name, arguments, 2, parameters);
                default -> { }
            }
        }

        private List<String> identifierParts(Expression expression) {
            String text = identifierText(expression);
            try {
                return list(parser.parseMultipartIdentifier(text));
            } catch (ParseException e) {
                throw new RefusedQueryException("IDENTIFIER('" + text + "') is not a valid name");
            }
        }

        private String identifierText(Expression expression) {
            if (expression instanceof Literal literal && literal.value() != null) {
                return literal.value().toString();
            }
            if (expression instanceof NamedParameter parameter && parameters.get(parameter.name()) instanceof String text) {
                return text;
            }
            throw new RefusedQueryException("IDENTIFIER(" + expression.sql() + ") is not allowed: give IDENTIFIER()"
                    + " a string literal or a named string parameter");
        }
    }

    private void relationName(List<String> parts) {
        String first = parts.get(0).toLowerCase(Locale.ROOT);
        if (parts.size() > 1 && (dataSourceNames.contains(first) || first.contains("."))) {
            throw new RefusedQueryException("SQL on files (" + quoted(parts) + ") is not allowed;"
                    + " query the table measurements");
        }
        for (String part : parts) {
            if (part.contains("/") || part.contains("\\") || part.contains(":")) {
                throw new RefusedQueryException("reading files directly (" + quoted(parts) + ") is not allowed;"
                        + " query the table measurements");
            }
        }
    }

    private void functionName(String name) {
        functions.refusal(name).ifPresent(reason -> {
            throw new RefusedQueryException("function '" + name + "' is not allowed: " + reason);
        });
    }

    private RefusedQueryException deniedFunction(String name) {
        return new RefusedQueryException("function '" + name + "' is not allowed: "
                + functions.refusal(name).orElse("it reaches the JVM"));
    }

    private static RefusedQueryException refused(LogicalPlan plan) {
        return new RefusedQueryException("statement kind '" + plan.nodeName() + "' is not allowed; only queries"
                + " (SELECT, WITH, VALUES, TABLE), SHOW, DESCRIBE and EXPLAIN run");
    }

    private static <T> List<T> list(scala.collection.Iterable<T> items) {
        return new ArrayList<>(CollectionConverters.asJavaCollection(items));
    }

    private static String last(List<String> parts) {
        return parts.get(parts.size() - 1).toLowerCase(Locale.ROOT);
    }

    private static String quoted(List<String> parts) {
        return String.join(".", parts.stream().map(part -> "`" + part + "`").toList());
    }

    /** {@code file:/a} and {@code file:///a} alike as {@code file:///a}; hdfs://host:port/a keeps its authority. */
    private static String normalized(Path path) {
        java.net.URI uri = path.toUri().normalize();
        String scheme = uri.getScheme() == null ? "file" : uri.getScheme();
        String authority = uri.getAuthority() == null ? "" : uri.getAuthority();
        return scheme + "://" + authority + uri.getPath();
    }

    private static String withSlash(String root) {
        return root.endsWith("/") ? root : root + "/";
    }
}
