package org.iotpipeline.query.execution;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;

/**
 * One admitted query: its id, and the means to cancel its Spark jobs from any thread.
 *
 * <p>Every Spark action of the query runs inside {@link #inJobGroup}, which puts the calling
 * thread's jobs into the Spark job group named by the query id (with interrupt on cancel).
 * {@link #cancel} cancels that group's running jobs <em>and any it starts later</em>
 * ({@code cancelJobGroupAndFutureJobs}), so a cancel that races with the submission of a job
 * still stops it.
 */
public final class RunningQuery {

    private final String id;
    private final String sql;
    private final String format;
    private final Instant startedAt;
    private final SparkContext sparkContext;
    private final AtomicReference<CancelReason> cancelled = new AtomicReference<>();
    private volatile Consumer<CancelReason> onCancel = reason -> { };

    RunningQuery(String id, String sql, String format, Instant startedAt, SparkContext sparkContext) {
        this.id = id;
        this.sql = sql;
        this.format = format;
        this.startedAt = startedAt;
        this.sparkContext = sparkContext;
    }

    public String id() {
        return id;
    }

    public String sql() {
        return sql;
    }

    public String format() {
        return format;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Why the query was cancelled, if it was. */
    public Optional<CancelReason> cancelReason() {
        return Optional.ofNullable(cancelled.get());
    }

    /** Called once, on the cancelling thread, when the query is cancelled. */
    void onCancel(Consumer<CancelReason> listener) {
        this.onCancel = listener;
    }

    /**
     * Cancels the query's Spark jobs, running and future. Only the first call has an effect.
     *
     * @return whether this call cancelled it
     */
    public boolean cancel(CancelReason reason) {
        if (!cancelled.compareAndSet(null, reason)) {
            return false;
        }
        sparkContext.cancelJobGroupAndFutureJobs(id, reason.text());
        onCancel.accept(reason);
        return true;
    }

    /**
     * Runs Spark work on the calling thread with its jobs in this query's job group.
     *
     * @throws QueryException if the query was cancelled before the work started
     */
    public <T> T inJobGroup(Supplier<T> work) {
        sparkContext.setJobGroup(id, abbreviate(sql), true);
        try {
            throwIfCancelled();
            return work.get();
        } finally {
            sparkContext.clearJobGroup();
        }
    }

    /** @throws QueryException if the query was cancelled */
    public void throwIfCancelled() {
        CancelReason reason = cancelled.get();
        if (reason != null) {
            throw cancelledException(reason);
        }
    }

    /** The exception that stands for this query's cancellation. */
    QueryException cancelledException(CancelReason reason) {
        if (reason == CancelReason.TIMEOUT) {
            return QueryException.of(QueryOutcome.TIMEOUT, "query-timeout", "Query timed out",
                    "query " + id + " ran longer than its timeout; its Spark jobs were cancelled").queryId(id).build();
        }
        return QueryException.of(QueryOutcome.CANCELLED, "query-cancelled", "Query cancelled",
                "query " + id + " was cancelled: " + reason.text()).queryId(id).build();
    }

    private static String abbreviate(String sql) {
        String flat = sql.replaceAll("\\s+", " ").strip();
        return flat.length() <= 200 ? flat : flat.substring(0, 197) + "...";
    }
}
