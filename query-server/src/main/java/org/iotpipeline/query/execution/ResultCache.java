package org.iotpipeline.query.execution;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.iotpipeline.model.QueryResult;
import org.iotpipeline.model.ResultColumn;
import org.iotpipeline.query.json.JsonMappers;
import org.iotpipeline.query.json.RowShape;

/**
 * Answers of recent JSON queries, for clients that ask the same again before the tables change —
 * a dashboard polling {@code latest_readings}, a probe polling {@code measurements_live}. Spark
 * spends a tenth of a second and more on even the smallest query; an answer from here costs
 * nothing. An answer is kept under its caller, statement, parameters, row limit and shape and the
 * generation of the tables it read ({@link org.iotpipeline.query.table.TableState#generation()}):
 * once the store or the live area changed, a new generation starts, nothing older is served, and
 * the next answer kept drops every older one. Only answers that the same tables always give again
 * are kept ({@link org.iotpipeline.query.plan.RepeatableAnswers}). Per caller, so that how fast
 * an answer comes tells no client what another one asked.
 *
 * <p>Bounded: at most {@code maxEntries} answers, least recently used dropped first, each at most
 * {@code maxEntryBytes} as JSON together with its statement and parameters; larger answers are not
 * kept. Rows are kept as the Java objects they were converted to, which take several times their
 * JSON size on the heap. Thread-safe.
 */
public final class ResultCache {

    private final int maxEntries;
    private final long maxEntryBytes;
    /** Sizes answers as the HTTP layer writes them. */
    private final ObjectMapper json = JsonMappers.create();
    private final Map<Key, Answer> answers;

    /** @param maxEntries 0 turns the cache off */
    public ResultCache(int maxEntries, long maxEntryBytes) {
        if (maxEntries < 0 || maxEntryBytes < 0) {
            throw new IllegalArgumentException("maxEntries and maxEntryBytes must not be negative");
        }
        this.maxEntries = maxEntries;
        this.maxEntryBytes = maxEntryBytes;
        this.answers = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Answer> eldest) {
                return size() > ResultCache.this.maxEntries;
            }
        };
    }

    public static ResultCache off() {
        return new ResultCache(0, 0);
    }

    public boolean enabled() {
        return maxEntries > 0;
    }

    /** The kept answer of a query, under a new query id and elapsed time. */
    public Optional<QueryResult> get(Key key, String queryId, long elapsedMs) {
        Answer answer;
        synchronized (answers) {
            answer = answers.get(key);
        }
        return Optional.ofNullable(answer).map(a -> new QueryResult(a.columns(), a.rows(), a.rowCount(), a.truncated(),
                elapsedMs, queryId));
    }

    /**
     * Keeps an answer unless it is too large.
     *
     * @return whether it was kept
     */
    public boolean put(Key key, QueryResult result) {
        if (!enabled()) {
            return false;
        }
        long budget = maxEntryBytes - 2L * (key.sql().length() + key.owner().length());
        if (budget <= 0 || !fitsAsJson(List.of(key.parameters(), result.columns(), result.rows()), budget)) {
            return false;
        }
        Answer answer = new Answer(result.columns(), result.rows(), result.rowCount(), result.truncated());
        synchronized (answers) {
            // Nobody asks for an older generation again: make room for the current one.
            answers.keySet().removeIf(kept -> kept.generation() < key.generation());
            answers.put(key, answer);
        }
        return true;
    }

    /** Answers kept now. */
    public int size() {
        synchronized (answers) {
            return answers.size();
        }
    }

    /** Serializes the answer until it passes the budget: a huge answer costs no more than the budget. */
    private boolean fitsAsJson(Object value, long budget) {
        Bounded out = new Bounded(budget);
        try {
            json.writeValue(out, value);
            return true;
        } catch (IOException e) { // Jackson may wrap what the stream threw
            if (out.exceeded()) {
                return false;
            }
            throw new IllegalStateException("cannot size an answer as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * What identifies an answer.
     *
     * @param owner      the caller ({@link Caller#owner()})
     * @param generation of the tables the answer read
     */
    public record Key(String owner, String sql, Map<String, Object> parameters, int maxRows, RowShape shape,
                      long generation) {
        public Key {
            Objects.requireNonNull(owner, "owner is null");
            Objects.requireNonNull(sql, "sql is null");
            Objects.requireNonNull(parameters, "parameters is null");
            Objects.requireNonNull(shape, "shape is null");
        }
    }

    private record Answer(List<ResultColumn> columns, List<Object> rows, long rowCount, boolean truncated) {
    }

    /** Counts bytes and gives up past a limit. */
    private static final class Bounded extends OutputStream {
        private final long limit;
        private long count;

        Bounded(long limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            add(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            add(len);
        }

        boolean exceeded() {
            return count > limit;
        }

        private void add(long n) throws Exceeded {
            count += n;
            if (count > limit) {
                throw new Exceeded();
            }
        }

        /** Thrown through Jackson to stop sizing; never leaves {@link #fitsAsJson}. */
        private static final class Exceeded extends IOException {
            Exceeded() {
                super("answer larger than the cache's entry size", null);
            }
        }
    }
}
