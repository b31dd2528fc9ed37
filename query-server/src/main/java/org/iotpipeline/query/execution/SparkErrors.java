package org.iotpipeline.query.execution;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.iotpipeline.query.guard.RefusedQueryException;

/** Sorts what a query threw into the client's fault (400, 403) and the server's (500, 503). */
final class SparkErrors {

    /** SQLSTATE classes that mean the query or its data is wrong, not the server. */
    private static final Set<String> USER_SQLSTATE_CLASSES = Set.of("0A", "21", "22", "23", "42", "44", "54", "P0");

    /** "Cannot create array with N elements ... exceeding the limit" (array_repeat, sequence, ...). */
    private static final Set<String> SIZE_LIMIT_LEGACY_CONDITIONS = Set.of("_LEGACY_ERROR_TEMP_2176");

    /** Hadoop's message: "File file:/a/b.parquet does not exist". */
    private static final Pattern FILE_NOT_FOUND_PATH = Pattern.compile("File (\\S+) does not exist");

    private SparkErrors() {
    }

    static QueryException classify(Throwable error, String queryId) {
        Throwable t = unwrap(error);
        if (t instanceof QueryException query) {
            return query;
        }
        if (t instanceof RefusedQueryException refused) {
            return QueryException.of(ProblemType.QUERY_REFUSED, refused.getMessage())
                    .queryId(queryId).build();
        }
        if (t instanceof UncheckedIOException io) {
            return QueryException.of(ProblemType.STORE_UNAVAILABLE,
                    Redaction.redact(io.getMessage())).queryId(queryId).causedBy(io);
        }
        if (has(t, StackOverflowError.class)) {
            return QueryException.of(ProblemType.STATEMENT_TOO_COMPLEX,
                    "the query nests or recurses too deeply for the server (StackOverflowError); simplify it")
                    .queryId(queryId).causedBy(t);
        }
        if (has(t, OutOfMemoryError.class) || String.valueOf(t.getMessage()).contains("spark.driver.maxResultSize")
                || isSizeLimit(firstWithCondition(t))) {
            return QueryException.of(ProblemType.QUERY_TOO_LARGE,
                    "the query builds values or results larger than the server's memory allows ("
                            + Redaction.redact(rootMessage(t))
                            + "); build smaller values, or stream large results with format=ndjson")
                    .queryId(queryId).causedBy(t);
        }
        if (t instanceof ParseException || t instanceof AnalysisException) {
            AnalysisException spark = (AnalysisException) t;
            QueryException.Builder invalid = QueryException.of(ProblemType.INVALID_SQL,
                            Redaction.redact(t.getMessage()))
                    .sparkError(spark.getCondition(), spark.getSqlState()).queryId(queryId);
            if (spark.line().isDefined() && spark.startPosition().isDefined()) {
                invalid.position((Integer) spark.line().get(), (Integer) spark.startPosition().get());
            }
            return invalid.build();
        }
        SparkThrowable spark = firstWithCondition(t);
        if (spark != null && isUserError(spark)) {
            return QueryException.of(ProblemType.QUERY_ERROR,
                            Redaction.redact(((Throwable) spark).getMessage()))
                    .sparkError(spark.getCondition(), spark.getSqlState()).queryId(queryId).build();
        }
        String detail = Redaction.redact(spark != null ? ((Throwable) spark).getMessage()
                : String.valueOf(t.getMessage()));
        QueryException.Builder failed = QueryException.of(ProblemType.QUERY_FAILED, detail)
                .queryId(queryId);
        if (spark != null) {
            failed.sparkError(spark.getCondition(), spark.getSqlState());
        }
        return failed.causedBy(t);
    }

    /**
     * The path of a file a read failed on because it is gone (a compaction deleted a superseded
     * file), if that is why it failed.
     */
    static Optional<String> missingFile(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SparkThrowable spark && spark.getCondition() != null
                    && spark.getCondition().startsWith("FAILED_READ_FILE.FILE_NOT_EXIST")) {
                return Optional.ofNullable(spark.getMessageParameters().get("path"));
            }
            if (t instanceof FileNotFoundException missing) {
                Matcher path = FILE_NOT_FOUND_PATH.matcher(String.valueOf(missing.getMessage()));
                return path.find() ? Optional.of(path.group(1)) : Optional.empty();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    private static boolean has(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** Spark's own refusal to build an array or map beyond its size limit (not every one has a SQLSTATE). */
    private static boolean isSizeLimit(SparkThrowable spark) {
        return spark != null && spark.getCondition() != null
                && (spark.getCondition().startsWith("COLLECTION_SIZE_LIMIT_EXCEEDED")
                || SIZE_LIMIT_LEGACY_CONDITIONS.contains(spark.getCondition()));
    }

    private static boolean isUserError(SparkThrowable spark) {
        String state = spark.getSqlState();
        return !spark.isInternalError() && state != null && state.length() >= 2
                && USER_SQLSTATE_CLASSES.contains(state.substring(0, 2));
    }

    private static SparkThrowable firstWithCondition(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SparkThrowable spark && spark.getCondition() != null) {
                return spark;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
