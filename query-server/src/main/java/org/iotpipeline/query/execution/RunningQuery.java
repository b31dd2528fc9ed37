package org.iotpipeline.query.execution;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;

/**
 * One admitted query: its id, its owner, and the means to cancel its Spark jobs and its thread
 * from any thread.
 *
 * <p>Every Spark action of the query runs inside {@link #inJobGroup}, which puts the calling
 * thread's jobs into the query's own Spark job group (a random name, so one client's id never
 * names another's jobs) with interrupt on cancel. {@link #cancel} cancels that group's running jobs
 * <em>and any it starts later</em> ({@code cancelJobGroupAndFutureJobs}), so a cancel that races
 * with the submission of a job still stops it, and interrupts the server thread working for the
 * query (parsing, planning and constant folding run there, not in Spark tasks).
 */
public final class RunningQuery {

    private final String id;
    private final String owner;
    private final String jobGroup = UUID.randomUUID().toString();
    private final String sql;
    private final ResultFormat format;
    private final Instant startedAt;
    private final SparkContext sparkContext;
    private final AtomicReference<CancelReason> cancelled = new AtomicReference<>();
    private final Object workerLock = new Object();
    private Thread worker;
    private volatile Consumer<CancelReason> onCancel = reason -> { };

    RunningQuery(String id, String owner, String sql, ResultFormat format, Instant startedAt,
                 SparkContext sparkContext) {
        this.id = Objects.requireNonNull(id, "id is null");
        this.owner = Objects.requireNonNull(owner, "owner is null");
        this.sql = Objects.requireNonNull(sql, "sql is null");
        this.format = Objects.requireNonNull(format, "format is null");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt is null");
        this.sparkContext = Objects.requireNonNull(sparkContext, "sparkContext is null");
    }

    /** The id the client knows the query by (unique per owner). */
    public String id() {
        return id;
    }

    /** Who ran it ({@link Caller#owner()}). */
    public String owner() {
        return owner;
    }

    /** The Spark job group of its jobs. */
    public String jobGroup() {
        return jobGroup;
    }

    public String sql() {
        return sql;
    }

    public ResultFormat format() {
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
     * Cancels the query's Spark jobs, running and future, and interrupts its server thread. Only the
     * first call has an effect.
     *
     * @return whether this call cancelled it
     */
    public boolean cancel(CancelReason reason) {
        if (!cancelled.compareAndSet(null, reason)) {
            return false;
        }
        sparkContext.cancelJobGroupAndFutureJobs(jobGroup, reason.text());
        synchronized (workerLock) {
            if (worker != null) {
                worker.interrupt();
            }
        }
        onCancel.accept(reason);
        return true;
    }

    /**
     * Runs the query's work on the calling server thread, which {@link #cancel} interrupts. The
     * thread's interrupt flag is cleared afterwards, so a late cancel cannot hit the next query.
     */
    <T> T onWorkerThread(Supplier<T> work) {
        synchronized (workerLock) {
            worker = Thread.currentThread();
            if (cancelled.get() != null) {
                worker.interrupt();
            }
        }
        try {
            return work.get();
        } finally {
            synchronized (workerLock) {
                worker = null;
                Thread.interrupted();
            }
        }
    }

    /** The stack of the thread working for the query now, for the log of an abandoned query. */
    String workerStack() {
        Thread thread;
        synchronized (workerLock) {
            thread = worker;
        }
        if (thread == null) {
            return "(no server thread; its Spark tasks may still run)";
        }
        StringBuilder stack = new StringBuilder(thread.getName());
        for (StackTraceElement element : thread.getStackTrace()) {
            stack.append("\n\tat ").append(element);
        }
        return stack.toString();
    }

    /**
     * Runs Spark work on the calling thread with its jobs in this query's job group.
     *
     * @throws QueryException if the query was cancelled before the work started
     */
    public <T> T inJobGroup(Supplier<T> work) {
        sparkContext.setJobGroup(jobGroup, abbreviate(sql), true);
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
            return QueryException.of(ProblemType.QUERY_TIMEOUT,
                    "query " + id + " ran longer than its timeout; its Spark jobs were cancelled").queryId(id).build();
        }
        return QueryException.of(ProblemType.QUERY_CANCELLED,
                "query " + id + " was cancelled: " + reason.text()).queryId(id).build();
    }

    private static String abbreviate(String sql) {
        String flat = sql.replaceAll("\\s+", " ").strip();
        return flat.length() <= 200 ? flat : flat.substring(0, 197) + "...";
    }
}
