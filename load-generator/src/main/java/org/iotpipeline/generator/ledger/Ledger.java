package org.iotpipeline.generator.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.iotpipeline.model.Event;

/**
 * Count and sum of acknowledged events per device, metric and tumbling window: the ground truth an
 * end-to-end check compares the pipeline's output with.
 *
 * <p>Each event must be added once (the generator adds an event when its first delivery is
 * acknowledged, never for a deliberate duplicate). Not thread-safe: the caller serialises access.
 */
public final class Ledger {

    /** Windows in the order of the ledger file: by start, then device, then metric. */
    public static final Comparator<LedgerWindow> ORDER = Comparator.comparingLong(LedgerWindow::windowStart)
            .thenComparingInt(LedgerWindow::deviceId)
            .thenComparingInt(LedgerWindow::metricId);

    private record Key(int deviceId, int metricId, long windowStart) {
    }

    private static final class Totals {
        long count;
        double sum;
    }

    private final long windowMillis;
    private final Map<Key, Totals> windows = new HashMap<>();

    /** @param window length of the tumbling windows, a positive whole number of minutes */
    public Ledger(Duration window) {
        if (window.toMillis() < 60_000 || window.toMillis() % 60_000 != 0) {
            throw new IllegalArgumentException("the ledger window must be a positive whole number of minutes, got " + window);
        }
        this.windowMillis = window.toMillis();
    }

    public long windowMinutes() {
        return windowMillis / 60_000;
    }

    /** Start of the window that holds {@code timestamp}: windows are aligned to the epoch, in UTC. */
    public long windowStart(long timestamp) {
        return Math.floorDiv(timestamp, windowMillis) * windowMillis;
    }

    public void add(Event event) {
        Totals totals = windows.computeIfAbsent(
                new Key(event.deviceId(), event.metricId(), windowStart(event.timestamp())), key -> new Totals());
        totals.count++;
        totals.sum += event.value();
    }

    /** Every window with at least one event, in {@link #ORDER}. */
    public List<LedgerWindow> windows() {
        List<LedgerWindow> result = new ArrayList<>(windows.size());
        windows.forEach((key, totals) -> result.add(
                new LedgerWindow(key.deviceId(), key.metricId(), key.windowStart(), totals.count, totals.sum)));
        result.sort(ORDER);
        return result;
    }
}
