package org.iotpipeline.query.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.iotpipeline.model.QueryResult;
import org.iotpipeline.model.ResultColumn;
import org.iotpipeline.query.guard.SqlGuard;
import org.iotpipeline.query.plan.ConstantStatements;
import org.iotpipeline.query.plan.RepeatableAnswers;
import org.iotpipeline.query.json.RowShape;
import org.iotpipeline.query.json.SparkJsonConverter;
import org.iotpipeline.query.metrics.QueryMetrics;
import org.iotpipeline.query.table.MeasurementsTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs SQL against table {@code measurements}: validate the request → check the statement
 * ({@link SqlGuard}) → take a slot ({@link RunningQueries}) → run it on Spark under the query's job
 * group with a timeout → convert the rows ({@link SparkJsonConverter}). No HTTP here.
 *
 * <p><b>Guarantees.</b> A statement the guard refuses never reaches Spark. When the timeout passes
 * or the query is cancelled, the answer fails at once ({@link QueryOutcome#TIMEOUT},
 * {@link QueryOutcome#CANCELLED}) and the query's Spark jobs, running or about to start, are
 * cancelled. A query that fails because a file it listed was deleted (a compaction's grace period
 * ran out) is re-run once on a fresh listing.
 */
public final class QueryService {

    private static final Logger log = LoggerFactory.getLogger(QueryService.class);
    private final SparkSession spark;
    private final MeasurementsTable table;
    private final SqlGuard guard;
    private final RunningQueries running;
    private final QueryLimits limits;
    private final RequestChecks checks;
    private final SparkJsonConverter converter;
    private final QueryMetrics metrics;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final ResultCache answers;

    /**
     * @param executor runs queries; must have a thread for each of {@code limits.maxConcurrent()}
     *                 queries, since admission already bounds them
     * @param timer    fires timeouts
     * @param answers  answers of JSON queries kept for the same query over the same tables
     */
    public QueryService(SparkSession spark, MeasurementsTable table, SqlGuard guard, RunningQueries running,
                        QueryLimits limits, SparkJsonConverter converter, QueryMetrics metrics, Executor executor,
                        ScheduledExecutorService timer, ResultCache answers) {
        this.spark = Objects.requireNonNull(spark, "spark is null");
        this.table = Objects.requireNonNull(table, "table is null");
        this.guard = Objects.requireNonNull(guard, "guard is null");
        this.running = Objects.requireNonNull(running, "running is null");
        this.limits = Objects.requireNonNull(limits, "limits is null");
        this.converter = Objects.requireNonNull(converter, "converter is null");
        this.metrics = Objects.requireNonNull(metrics, "metrics is null");
        this.executor = Objects.requireNonNull(executor, "executor is null");
        this.timer = Objects.requireNonNull(timer, "timer is null");
        this.answers = Objects.requireNonNull(answers, "answers is null");
        this.checks = new RequestChecks(limits);
    }

    public QueryLimits limits() {
        return limits;
    }

    /** Runs a query for a caller inside the process (tools and tests). */
    public CompletionStage<QueryResult> execute(QueryRequest request) {
        return execute(request, Caller.inProcess("in-process"));
    }

    /**
     * Runs a query and answers at most {@code maxRows} rows as JSON-ready values. The stage fails
     * with a {@link QueryException} whose outcome says why.
     */
    public CompletionStage<QueryResult> execute(QueryRequest request, Caller caller) {
        long started = System.nanoTime();
        RowShape shape = request.rowShape().orElse(limits.defaultRowShape());
        int maxRows;
        Duration timeout;
        RunningQuery query;
        try {
            maxRows = checks.maxRows(request);
            timeout = checks.timeout(request, ResultFormat.JSON);
            query = admit(request, caller, ResultFormat.JSON);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(recordFailure(SparkErrors.classify(e, null), ResultFormat.JSON,
                    started));
        }
        CompletableFuture<QueryResult> answer = new CompletableFuture<>();
        Supervision supervision = supervise(query, caller, timeout,
                reason -> answer.completeExceptionally(query.cancelledException(reason)));
        try {
            executor.execute(() -> {
                QueryResult result = null;
                QueryException failed = null;
                try {
                    result = query.onWorkerThread(() -> withMissingFileRetry(query,
                            () -> collect(query, request, maxRows, shape, started)));
                } catch (Throwable e) { // Spark also throws checked exceptions undeclared; errors of the query too
                    failed = failure(e, query);
                } finally {
                    supervision.end();
                    running.finish(query);
                }
                // Only now: a client that sends its next query as soon as it has the answer finds the slot free.
                if (failed == null) {
                    answer.complete(result);
                } else {
                    answer.completeExceptionally(failed);
                }
            });
        } catch (RuntimeException e) {
            supervision.end();
            running.finish(query);
            answer.completeExceptionally(failure(e, query));
        }
        return answer.handle((result, error) -> {
            if (error != null) {
                throw recordFailure(SparkErrors.classify(error, query.id()), ResultFormat.JSON, started);
            }
            recordSuccess(query, ResultFormat.JSON, started, result.rowCount());
            return result;
        });
    }

    /** Starts a streamed query for a caller inside the process (tools and tests). */
    public CompletionStage<RowStream> stream(QueryRequest request, ResultFormat format) {
        return stream(request, format, Caller.inProcess("in-process"));
    }

    /**
     * Starts a query whose rows are streamed. The stage completes once the statement was checked
     * and analyzed and Spark produced the first partition (so most errors still fail the stage, and
     * the HTTP answer can carry the right status); later failures surface from the stream.
     */
    public CompletionStage<RowStream> stream(QueryRequest request, ResultFormat format, Caller caller) {
        if (format == ResultFormat.JSON) {
            throw new IllegalArgumentException("a JSON answer is not streamed; use execute");
        }
        long started = System.nanoTime();
        RowShape shape = request.rowShape().orElse(limits.defaultRowShape());
        Duration timeout;
        RunningQuery query;
        try {
            timeout = checks.timeout(request, format);
            query = admit(request, caller, format);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(recordFailure(SparkErrors.classify(e, null), format, started));
        }
        CompletableFuture<RowStream> opened = new CompletableFuture<>();
        Supervision supervision = supervise(query, caller, timeout,
                reason -> opened.completeExceptionally(query.cancelledException(reason)));
        try {
            executor.execute(() -> {
                try {
                    SparkRowStream stream = query.onWorkerThread(() -> withMissingFileRetry(query,
                            () -> open(query, request, shape, format, started, supervision)));
                    if (!opened.complete(stream)) {
                        stream.discard(); // cancelled or timed out while opening; already answered
                    }
                } catch (Throwable e) { // Spark also throws checked exceptions undeclared; errors of the query too
                    supervision.end();
                    running.finish(query);
                    opened.completeExceptionally(failure(e, query));
                }
            });
        } catch (RuntimeException e) {
            supervision.end();
            running.finish(query);
            opened.completeExceptionally(failure(e, query));
        }
        return opened.handle((stream, error) -> {
            if (error != null) {
                throw recordFailure(SparkErrors.classify(error, query.id()), format, started);
            }
            return stream;
        });
    }

    /**
     * Cancels a running query of the owner.
     *
     * @return false if the owner runs no query with that id
     */
    public boolean cancel(String owner, String queryId) {
        return running.get(owner, queryId).map(query -> {
            query.cancel(CancelReason.REQUESTED);
            return true;
        }).orElse(false);
    }

    /** The owner's running queries. */
    public List<RunningQuery> runningQueries(String owner) {
        return running.list(owner);
    }

    /** Cancels every running query (at shutdown). */
    public void cancelAll() {
        running.cancelAll(CancelReason.SHUTDOWN);
    }

    /**
     * Watches an admitted query until {@link Supervision#end()}: cancels it when its timeout
     * passes or its client's connection closes, and gives its slot back when a cancel did not stop
     * it within the cancel grace (its thread is stuck in work that ignores interrupts).
     */
    private Supervision supervise(RunningQuery query, Caller caller, Duration timeout,
                                  java.util.function.Consumer<CancelReason> answerCancelled) {
        query.onCancel(reason -> {
            answerCancelled.accept(reason);
            timer.schedule(() -> abandonIfStuck(query), limits.cancelGrace().toMillis(), TimeUnit.MILLISECONDS);
        });
        ScheduledFuture<?> deadline = timer.schedule(() -> query.cancel(CancelReason.TIMEOUT), timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        ClientConnection.Registration onClose = caller.connection().onClose(() -> query.cancel(CancelReason.CLIENT_GONE));
        return new Supervision(deadline, onClose);
    }

    private void abandonIfStuck(RunningQuery query) {
        String stack = query.workerStack();
        if (running.abandon(query)) {
            metrics.recordAbandoned();
            log.error("Query {} did not stop within {} of its cancel ({}); its slot is given back, its thread may"
                    + " still run: {}\nSQL: {}", query.id(), limits.cancelGrace(),
                    query.cancelReason().map(CancelReason::text).orElse("?"), stack, query.sql());
        }
    }

    /** Ends the watch of one query: its timeout and its connection's close no longer cancel it. */
    private record Supervision(ScheduledFuture<?> deadline, ClientConnection.Registration onClose) {
        void end() {
            deadline.cancel(false);
            onClose.remove();
        }
    }

    private QueryResult collect(RunningQuery query, QueryRequest request, int maxRows, RowShape shape, long started) {
        checkStatement(request);
        // Read before the statement resolves the views: its answer is of this generation or a newer one.
        long generation = table.refreshIfStale().generation();
        // Per caller: whether another caller asked the same must not show in the time of an answer.
        ResultCache.Key key = new ResultCache.Key(query.owner(), request.sql(), request.parameters(), maxRows, shape,
                generation);
        if (answers.enabled()) {
            Optional<QueryResult> again = answers.get(key, query.id(), elapsedMs(started));
            metrics.recordResultCache(again.isPresent());
            if (again.isPresent()) {
                return again.get();
            }
        }
        return query.inJobGroup(() -> {
            Dataset<Row> result = sql(request);
            LogicalPlan analyzed = result.queryExecution().analyzed();
            guard.checkAnalyzed(analyzed);
            List<Row> rows = ConstantStatements.answeredOnDriver(result).takeAsList(maxRows + 1);
            boolean truncated = rows.size() > maxRows;
            List<Row> kept = truncated ? rows.subList(0, maxRows) : rows;
            SparkJsonConverter.RowConverter convert = converter.forSchema(result.schema(), shape);
            List<Object> values = new ArrayList<>(kept.size());
            for (Row row : kept) {
                values.add(convert.apply(row));
            }
            QueryResult computed = new QueryResult(columns(result.schema()), values, values.size(), truncated,
                    elapsedMs(started), query.id());
            // A cancelled query (timed out, abandoned) that still finished is not kept: its slot may
            // have been given back, and its client was told it failed.
            if (answers.enabled() && query.cancelReason().isEmpty()
                    && RepeatableAnswers.repeatable(analyzed, request.sql(), request.parameters())) {
                answers.put(key, computed);
            }
            return computed;
        });
    }

    private SparkRowStream open(RunningQuery query, QueryRequest request, RowShape shape, ResultFormat format,
                                long started, Supervision supervision) {
        checkStatement(request);
        table.refreshIfStale();
        return query.inJobGroup(() -> {
            Dataset<Row> result = sql(request);
            guard.checkAnalyzed(result.queryExecution().analyzed());
            Iterator<Row> rows = ConstantStatements.answeredOnDriver(result).toLocalIterator();
            rows.hasNext(); // runs the first partition's job now: its errors still get a proper status
            return new SparkRowStream(query, columns(result.schema()), rows,
                    converter.forSchema(result.schema(), shape), format, started, supervision);
        });
    }

    /**
     * Parses and checks the statement on the query's own thread, inside admission control and under
     * its timeout; the statement's size and nesting were bounded before ({@link #admit}).
     */
    private void checkStatement(QueryRequest request) {
        try {
            guard.checkStatement(request.sql(), request.parameters());
        } catch (org.apache.spark.sql.catalyst.parser.ParseException e) {
            throw SparkErrors.classify(e, null);
        }
    }

    private Dataset<Row> sql(QueryRequest request) {
        return request.parameters().isEmpty() ? spark.sql(request.sql())
                : spark.sql(request.sql(), RequestChecks.sparkParameters(request.parameters()));
    }

    private <T> T withMissingFileRetry(RunningQuery query, Supplier<T> attempt) {
        try {
            return attempt.get();
        } catch (Exception e) { // Spark's SparkException is checked but thrown undeclared
            if (query.cancelReason().isPresent()
                    || SparkErrors.missingFile(e).filter(guard::isStoreFile).isEmpty()) {
                throw e instanceof RuntimeException runtime ? runtime : new CompletionException(e);
            }
            log.info("Query {} read a file that is gone (superseded by compaction); re-listing the store and"
                    + " running it again", query.id());
            table.refresh();
            return attempt.get();
        }
    }

    /** Checks the request (size, nesting, id, parameters) and takes a slot for it, or throws. */
    private RunningQuery admit(QueryRequest request, Caller caller, ResultFormat format) {
        checks.checkAdmissible(request);
        return running.admit(caller.owner(), request.queryId(), request.sql(), format);
    }

    private QueryException failure(Throwable error, RunningQuery query) {
        if (query.cancelReason().isPresent()) {
            return query.cancelledException(query.cancelReason().get());
        }
        QueryException failure = SparkErrors.classify(error, query.id());
        if (failure.outcome() == QueryOutcome.FAILED || failure.outcome() == QueryOutcome.UNAVAILABLE) {
            log.error("Query {} failed: {}", query.id(), query.sql(), error);
        }
        return failure;
    }

    /** Counts and logs a query that failed or was refused; returns the failure to throw. */
    private QueryException recordFailure(QueryException failure, ResultFormat format, long started) {
        metrics.recordQuery(failure.outcome(), format, Duration.ofNanos(System.nanoTime() - started));
        if (failure.outcome() != QueryOutcome.FAILED) { // failures were logged with their stack already
            log.info("Query {} {}: {}", failure.queryId().orElse("-"), failure.outcome().label(), failure.getMessage());
        }
        return failure;
    }

    private void recordSuccess(RunningQuery query, ResultFormat format, long started, long rows) {
        // Rows first: a scrape that sees the query counted sees its rows too.
        metrics.recordRows(format, rows);
        metrics.recordQuery(QueryOutcome.OK, format, Duration.ofNanos(System.nanoTime() - started));
        log.info("Query {} {} in {} ms, {} rows", query.id(), QueryOutcome.OK.label(), elapsedMs(started), rows);
    }

    static List<ResultColumn> columns(StructType schema) {
        List<ResultColumn> columns = new ArrayList<>();
        for (StructField field : schema.fields()) {
            columns.add(new ResultColumn(field.name(), field.dataType().catalogString()));
        }
        return columns;
    }

    private static long elapsedMs(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    /** Pulls Spark's local iterator under the query's job group, converting rows as they come. */
    private final class SparkRowStream implements RowStream {

        private final RunningQuery query;
        private final List<ResultColumn> columns;
        private final Iterator<Row> rows;
        private final SparkJsonConverter.RowConverter convert;
        private final ResultFormat format;
        private final long started;
        private final Supervision supervision;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile long count;
        private volatile boolean exhausted;
        private volatile QueryException failure;

        SparkRowStream(RunningQuery query, List<ResultColumn> columns, Iterator<Row> rows,
                       SparkJsonConverter.RowConverter convert, ResultFormat format, long started,
                       Supervision supervision) {
            this.query = query;
            this.columns = List.copyOf(columns);
            this.rows = rows;
            this.convert = convert;
            this.format = format;
            this.started = started;
            this.supervision = supervision;
        }

        @Override
        public String queryId() {
            return query.id();
        }

        @Override
        public List<ResultColumn> columns() {
            return columns;
        }

        @Override
        public long rowCount() {
            return count;
        }

        @Override
        public Iterator<Object> rows() {
            return new Iterator<>() {
                private boolean ready;

                @Override
                public boolean hasNext() {
                    if (ready) {
                        return true;
                    }
                    if (exhausted) {
                        return false;
                    }
                    try {
                        // Fetching the next partition starts a Spark job: it must run in the query's group.
                        ready = query.inJobGroup(rows::hasNext);
                    } catch (Throwable e) { // Spark also throws checked exceptions undeclared (SparkException)
                        failure = failure(e, query);
                        throw failure;
                    }
                    exhausted = !ready;
                    return ready;
                }

                @Override
                public Object next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    ready = false;
                    count++;
                    return convert.apply(rows.next());
                }
            };
        }

        /** Frees the slot of a stream nobody will read (its query was cancelled while it opened). */
        void discard() {
            if (closed.compareAndSet(false, true)) {
                supervision.end();
                running.finish(query);
            }
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            supervision.end();
            if (!exhausted && failure == null) {
                query.cancel(CancelReason.CLIENT_GONE);
            }
            running.finish(query);
            if (exhausted && failure == null) {
                recordSuccess(query, format, started, count);
            } else {
                metrics.recordRows(format, count);
                recordFailure(failure != null ? failure
                        : query.cancelledException(query.cancelReason().orElse(CancelReason.CLIENT_GONE)), format, started);
            }
        }
    }
}
