package org.iotpipeline.query.execution;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.iotpipeline.query.guard.RefusedQueryException;

/** Sorts what a query threw into the client's fault (400, 403) and the server's (500, 503). */
final class SparkErrors {

    /** SQLSTATE classes that mean the query or its data is wrong, not the server. */
    private static final Set<String> USER_SQLSTATE_CLASSES = Set.of("0A", "21", "22", "23", "42", "44", "P0");

    private SparkErrors() {
    }

    static QueryException classify(Throwable error, String queryId) {
        Throwable t = unwrap(error);
        if (t instanceof QueryException query) {
            return query;
        }
        if (t instanceof RefusedQueryException refused) {
            return QueryException.of(QueryOutcome.REFUSED, "query-refused", "Statement refused", refused.getMessage())
                    .queryId(queryId).build();
        }
        if (t instanceof UncheckedIOException io) {
            return QueryException.of(QueryOutcome.UNAVAILABLE, "store-unavailable", "Store unavailable",
                    io.getMessage()).queryId(queryId).causedBy(io);
        }
        if (t instanceof ParseException || t instanceof AnalysisException) {
            SparkThrowable spark = (SparkThrowable) t;
            return QueryException.of(QueryOutcome.INVALID, "invalid-sql", "Invalid SQL", t.getMessage())
                    .sparkError(spark.getCondition(), spark.getSqlState()).queryId(queryId).build();
        }
        SparkThrowable spark = firstWithCondition(t);
        if (spark != null && isUserError(spark)) {
            return QueryException.of(QueryOutcome.INVALID, "query-error", "Query error", ((Throwable) spark).getMessage())
                    .sparkError(spark.getCondition(), spark.getSqlState()).queryId(queryId).build();
        }
        String detail = spark != null ? ((Throwable) spark).getMessage() : String.valueOf(t.getMessage());
        QueryException.Builder failed = QueryException.of(QueryOutcome.FAILED, "query-failed", "Query failed", detail)
                .queryId(queryId);
        if (spark != null) {
            failed.sparkError(spark.getCondition(), spark.getSqlState());
        }
        return failed.causedBy(t);
    }

    /** Whether a read failed because a file it listed is gone (a compaction deleted a superseded file). */
    static boolean isMissingFile(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof FileNotFoundException) {
                return true;
            }
            if (t instanceof SparkThrowable spark && spark.getCondition() != null
                    && spark.getCondition().startsWith("FAILED_READ_FILE.FILE_NOT_EXIST")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
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
