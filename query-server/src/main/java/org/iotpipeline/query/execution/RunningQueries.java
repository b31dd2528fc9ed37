package org.iotpipeline.query.execution;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext;

/**
 * The queries running now, at most {@code maxConcurrent} of them: admission (429 beyond that),
 * lookup by id for {@code DELETE /query/{id}}, and cancellation of all at shutdown.
 *
 * <p>A query holds its slot until its Spark work really ended, not merely until its client got an
 * answer: a timed-out query whose jobs are still winding down keeps counting.
 */
public final class RunningQueries {

    /** Ids a client may choose: safe in URLs, logs and Spark job group names. */
    public static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final int maxConcurrent;
    private final Semaphore slots;
    private final Duration retryAfter;
    private final SparkContext sparkContext;
    private final Clock clock;
    private final ConcurrentMap<String, RunningQuery> byId = new ConcurrentHashMap<>();

    public RunningQueries(int maxConcurrent, Duration retryAfter, SparkContext sparkContext, Clock clock) {
        this.maxConcurrent = maxConcurrent;
        this.slots = new Semaphore(maxConcurrent);
        this.retryAfter = retryAfter;
        this.sparkContext = sparkContext;
        this.clock = clock;
    }

    /**
     * Takes a slot for a new query.
     *
     * @param requestedId the client's id, or empty for a new random one
     * @throws QueryException {@link QueryOutcome#BUSY} if all slots are taken,
     *                        {@link QueryOutcome#ID_IN_USE} if the id is running
     */
    RunningQuery admit(Optional<String> requestedId, String sql, String format) {
        if (!slots.tryAcquire()) {
            throw QueryException.of(QueryOutcome.BUSY, "too-many-queries", "Too many queries",
                    "all " + maxConcurrent + " query slots are busy; retry after "
                            + retryAfter.toSeconds() + " s").retryAfter(retryAfter).build();
        }
        String id = requestedId.orElseGet(() -> UUID.randomUUID().toString());
        RunningQuery query = new RunningQuery(id, sql, format, clock.instant(), sparkContext);
        if (byId.putIfAbsent(id, query) != null) {
            slots.release();
            throw QueryException.of(QueryOutcome.ID_IN_USE, "query-id-in-use", "Query id in use",
                    "a query with id '" + id + "' is running; choose another queryId").queryId(id).build();
        }
        return query;
    }

    /** Gives the query's slot back; safe to call more than once. */
    void finish(RunningQuery query) {
        if (byId.remove(query.id(), query)) {
            slots.release();
        }
    }

    public Optional<RunningQuery> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The running queries, oldest first. */
    public List<RunningQuery> list() {
        return byId.values().stream().sorted(Comparator.comparing(RunningQuery::startedAt)).toList();
    }

    public int active() {
        return byId.size();
    }

    /** Cancels every running query (shutdown). */
    public void cancelAll(CancelReason reason) {
        byId.values().forEach(query -> query.cancel(reason));
    }
}
