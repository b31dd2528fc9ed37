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
 * lookup by owner and id for {@code DELETE /query/{id}}, and cancellation of all at shutdown.
 *
 * <p>A query holds its slot until its server thread is done with it; a cancelled query whose
 * thread does not stop in time is {@linkplain #abandon abandoned}: its slot is given back so the
 * server keeps answering.
 */
public final class RunningQueries {

    /** Ids a client may choose: safe in URLs, logs and Spark job group names. */
    public static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final int maxConcurrent;
    private final Semaphore slots;
    private final Duration retryAfter;
    private final SparkContext sparkContext;
    private final Clock clock;
    private final ConcurrentMap<Key, RunningQuery> byKey = new ConcurrentHashMap<>();

    public RunningQueries(int maxConcurrent, Duration retryAfter, SparkContext sparkContext, Clock clock) {
        this.maxConcurrent = maxConcurrent;
        this.slots = new Semaphore(maxConcurrent);
        this.retryAfter = java.util.Objects.requireNonNull(retryAfter, "retryAfter is null");
        this.sparkContext = java.util.Objects.requireNonNull(sparkContext, "sparkContext is null");
        this.clock = java.util.Objects.requireNonNull(clock, "clock is null");
    }

    /**
     * Takes a slot for a new query.
     *
     * @param owner       who runs it; ids are unique per owner
     * @param requestedId the client's id, or empty for a new random one
     * @throws QueryException {@link ProblemType#TOO_MANY_QUERIES} if all slots are taken,
     *                        {@link ProblemType#QUERY_ID_IN_USE} if the owner already runs that id
     */
    RunningQuery admit(String owner, Optional<String> requestedId, String sql, ResultFormat format) {
        if (!slots.tryAcquire()) {
            throw QueryException.of(ProblemType.TOO_MANY_QUERIES,
                    "all " + maxConcurrent + " query slots are busy; retry after "
                            + retryAfter.toSeconds() + " s").retryAfter(retryAfter).build();
        }
        String id = requestedId.orElseGet(() -> UUID.randomUUID().toString());
        RunningQuery query = new RunningQuery(id, owner, sql, format, clock.instant(), sparkContext);
        if (byKey.putIfAbsent(new Key(owner, id), query) != null) {
            slots.release();
            throw QueryException.of(ProblemType.QUERY_ID_IN_USE,
                    "a query with id '" + id + "' is running; choose another queryId").queryId(id).build();
        }
        return query;
    }

    /** Gives the query's slot back; safe to call more than once. */
    void finish(RunningQuery query) {
        if (byKey.remove(new Key(query.owner(), query.id()), query)) {
            slots.release();
        }
    }

    /**
     * Gives back the slot of a cancelled query whose thread has not stopped.
     *
     * @return whether the query still held its slot
     */
    boolean abandon(RunningQuery query) {
        if (byKey.remove(new Key(query.owner(), query.id()), query)) {
            slots.release();
            return true;
        }
        return false;
    }

    public Optional<RunningQuery> get(String owner, String id) {
        return Optional.ofNullable(byKey.get(new Key(owner, id)));
    }

    /** The owner's running queries, oldest first. */
    public List<RunningQuery> list(String owner) {
        return byKey.values().stream().filter(query -> query.owner().equals(owner))
                .sorted(Comparator.comparing(RunningQuery::startedAt)).toList();
    }

    public int active() {
        return byKey.size();
    }

    /** Cancels every running query (shutdown). */
    public void cancelAll(CancelReason reason) {
        byKey.values().forEach(query -> query.cancel(reason));
    }

    private record Key(String owner, String id) {
    }
}
