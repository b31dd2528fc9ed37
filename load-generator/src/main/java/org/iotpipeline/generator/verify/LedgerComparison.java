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
 * @param excesses        the first few differences that can never heal by waiting: a window stored more
 *                        than once, with more events than the ledger, or not in the ledger at all
 * @param excessCount     all such differences
 */
public record LedgerComparison(int expectedWindows, int matching, List<String> problems, int problemCount,
                               long storedEvents, List<String> excesses, int excessCount) {

    private static final int MAX_LISTED = 10;

    public boolean matches() {
        return problemCount == 0;
    }

    /** Whether some window holds more than the ledger allows (a count that only grows can never match). */
    public boolean exceeds() {
        return excessCount > 0;
    }

    static LedgerComparison compare(List<LedgerWindow> ledger, Map<WindowKey, StoredWindow> stored) {
        List<String> problems = new ArrayList<>();
        List<String> excesses = new ArrayList<>();
        int problemCount = 0;
        int excessCount = 0;
        int matching = 0;
        java.util.Set<WindowKey> expectedKeys = new java.util.HashSet<>();
        for (LedgerWindow window : ledger) {
            WindowKey key = new WindowKey(window.deviceId(), window.metricId(), window.windowStart());
            expectedKeys.add(key);
            StoredWindow found = stored.get(key);
            String problem = null;
            boolean excess = false;
            if (found == null) {
                problem = "missing: " + describe(key) + " (ledger count " + window.count() + ")";
            } else if (found.rows() > 1) {
                problem = "stored " + found.rows() + " times: " + describe(key);
                excess = true;
            } else if (found.count() != window.count() || Double.compare(found.sum(), window.sum()) != 0) {
                problem = "different: " + describe(key) + " ledger count " + window.count() + " sum " + window.sum()
                        + ", stored count " + found.count() + " sum " + found.sum();
                excess = found.count() > window.count();
            }
            if (problem == null) {
                matching++;
            } else if (problemCount++ < MAX_LISTED) {
                problems.add(problem);
            }
            if (excess && excessCount++ < MAX_LISTED) {
                excesses.add(problem);
            }
        }
        long storedEvents = 0;
        for (Map.Entry<WindowKey, StoredWindow> entry : stored.entrySet()) {
            storedEvents += entry.getValue().count();
            if (!expectedKeys.contains(entry.getKey())) {
                String problem = "not in the ledger: " + describe(entry.getKey()) + " count " + entry.getValue().count();
                if (problemCount++ < MAX_LISTED) {
                    problems.add(problem);
                }
                if (excessCount++ < MAX_LISTED) {
                    excesses.add(problem);
                }
            }
        }
        return new LedgerComparison(ledger.size(), matching, problems, problemCount, storedEvents, excesses, excessCount);
    }

    private static String describe(WindowKey key) {
        return "device " + key.deviceId() + " metric " + key.metricId() + " window "
                + java.time.Instant.ofEpochMilli(key.windowStart());
    }
}
