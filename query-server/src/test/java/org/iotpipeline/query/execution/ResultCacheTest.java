package org.iotpipeline.query.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.iotpipeline.model.QueryResult;
import org.iotpipeline.model.ResultColumn;
import org.iotpipeline.query.json.RowShape;
import org.junit.jupiter.api.Test;

/** What the result cache keeps, for how long, and how much. */
class ResultCacheTest {

    private static final List<ResultColumn> COLUMNS = List.of(new ResultColumn("n", "bigint"));

    @Test
    void anAnswerIsServedForTheSameQueryOfTheSameGenerationUnderTheNewQuerysId() {
        ResultCache cache = new ResultCache(8, 4096);
        cache.put(key("SELECT 1", 7), answer(List.of(1L), "q-1"));

        assertThat(cache.get(key("SELECT 1", 7), "q-2", 3)).get().satisfies(a -> {
            assertThat(a.rows()).containsExactly(1L);
            assertThat(a.queryId()).isEqualTo("q-2");
            assertThat(a.elapsedMs()).isEqualTo(3);
        });
        assertThat(cache.get(key("SELECT 1", 8), "q-3", 0)).as("a newer generation of the tables").isEmpty();
        assertThat(cache.get(key("SELECT 2", 7), "q-4", 0)).isEmpty();
        assertThat(cache.get(new ResultCache.Key("alice", "SELECT 1", Map.of("p", 1), 100, RowShape.OBJECTS, 7), "q-5", 0))
                .as("other parameters").isEmpty();
        assertThat(cache.get(new ResultCache.Key("alice", "SELECT 1", Map.of(), 100, RowShape.ARRAYS, 7), "q-6", 0))
                .as("another row shape").isEmpty();
        assertThat(cache.get(new ResultCache.Key("bob", "SELECT 1", Map.of(), 100, RowShape.OBJECTS, 7), "q-7", 0))
                .as("another caller").isEmpty();
    }

    @Test
    void anAnswerOfANewerGenerationDropsTheOlderOnes() {
        ResultCache cache = new ResultCache(8, 4096);
        cache.put(key("a", 1), answer(List.of(1L), "q"));
        cache.put(key("b", 1), answer(List.of(2L), "q"));

        cache.put(key("a", 2), answer(List.of(3L), "q"));

        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get(key("a", 2), "q", 0)).isPresent();
    }

    @Test
    void theLeastRecentlyUsedAnswerIsDroppedFirst() {
        ResultCache cache = new ResultCache(2, 4096);
        cache.put(key("a", 1), answer(List.of(1L), "q"));
        cache.put(key("b", 1), answer(List.of(2L), "q"));
        cache.get(key("a", 1), "q", 0);

        cache.put(key("c", 1), answer(List.of(3L), "q"));

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(key("a", 1), "q", 0)).isPresent();
        assertThat(cache.get(key("b", 1), "q", 0)).isEmpty();
    }

    @Test
    void anAnswerLargerThanTheEntrySizeIsNotKept() {
        ResultCache cache = new ResultCache(8, 1024);
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            rows.add("a value of a large answer " + i);
        }

        assertThat(cache.put(key("SELECT big", 1), answer(rows, "q"))).isFalse();
        assertThat(cache.put(key("x".repeat(600), 1), answer(List.of(1L), "q"))).as("its statement counts too").isFalse();
        assertThat(cache.put(new ResultCache.Key("alice", "SELECT :p", Map.of("p", "x".repeat(2000)), 100,
                RowShape.OBJECTS, 1), answer(List.of(1L), "q"))).as("and its parameters").isFalse();
        assertThat(cache.put(key("SELECT small", 1), answer(List.of(1L), "q"))).isTrue();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aCacheWithoutEntriesKeepsNothing() {
        ResultCache off = ResultCache.off();

        assertThat(off.put(key("SELECT 1", 1), answer(List.of(1L), "q"))).isFalse();
        assertThat(off.get(key("SELECT 1", 1), "q", 0)).isEmpty();
    }

    private static ResultCache.Key key(String sql, long generation) {
        return new ResultCache.Key("alice", sql, Map.of(), 100, RowShape.OBJECTS, generation);
    }

    private static QueryResult answer(List<Object> rows, String queryId) {
        return new QueryResult(COLUMNS, rows, rows.size(), false, 1, queryId);
    }
}
