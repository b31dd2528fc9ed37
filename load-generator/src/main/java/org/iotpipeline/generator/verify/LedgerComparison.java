package org.iotpipeline.generator.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.iotpipeline.generator.ledger.LedgerWindow;

/**
 * The ledger against table {@code measurements}: every acknowledged window must be stored once
 * with exactly its count and sum, and nothing else may be stored in the ledger's range.
 * Sums compare exactly: the generator's values are multiples of 1/16, so every order of adding
 * them gives the same double.
 *
 * @param expectedWindows windows in the ledger
 * @param matching        windows stored exactly right
 * @param problems        the first few differences, in words
 * @param problemCount    all differences
 * @param storedEvents    sum of event_count over the stored windows of the range
 */
public record LedgerComparison(int expectedWindows, int matching, List<String> problems, int problemCount,
                               long storedEvents) {

    private static final int MAX_LISTED = 10;

    public boolean matches() {
        return problemCount == 0;
    }

    static LedgerComparison compare(List<LedgerWindow> ledger, Map<WindowKey, StoredWindow> stored) {
        List<String> problems = new ArrayList<>();
        int problemCount = 0;
        int matching = 0;
        java.util.Set<WindowKey> expectedKeys = new java.util.HashSet<>();
        for (LedgerWindow window : ledger) {
            WindowKey key = new WindowKey(window.deviceId(), window.metricId(), window.windowStart());
            expectedKeys.add(key);
            StoredWindow found = stored.get(key);
            String problem = null;
            if (found == null) {
                problem = "missing: " + describe(key) + " (ledger count " + window.count() + ")";
            } else if (found.rows() > 1) {
                problem = "stored " + found.rows() + " times: " + describe(key);
            } else if (found.count() != window.count() || Double.compare(found.sum(), window.sum()) != 0) {
                problem = "different: " + describe(key) + " ledger count " + window.count() + " sum " + window.sum()
                        + ", stored count " + found.count() + " sum " + found.sum();
            }
            if (problem == null) {
                matching++;
            } else if (problemCount++ < MAX_LISTED) {
                problems.add(problem);
            }
        }
        long storedEvents = 0;
        for (Map.Entry<WindowKey, StoredWindow> entry : stored.entrySet()) {
            storedEvents += entry.getValue().count();
            if (!expectedKeys.contains(entry.getKey()) && problemCount++ < MAX_LISTED) {
                problems.add("not in the ledger: " + describe(entry.getKey()) + " count " + entry.getValue().count());
            }
        }
        return new LedgerComparison(ledger.size(), matching, problems, problemCount, storedEvents);
    }

    private static String describe(WindowKey key) {
        return "device " + key.deviceId() + " metric " + key.metricId() + " window "
                + java.time.Instant.ofEpochMilli(key.windowStart());
    }
}
