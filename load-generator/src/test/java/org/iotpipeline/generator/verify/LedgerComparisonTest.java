package org.iotpipeline.generator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.iotpipeline.generator.ledger.Ledger;
import org.iotpipeline.generator.ledger.LedgerFile;
import org.iotpipeline.generator.ledger.LedgerReader;
import org.iotpipeline.generator.ledger.LedgerWindow;
import org.iotpipeline.generator.report.Counts;
import org.iotpipeline.model.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerComparisonTest {

    private static final long W = 1_764_000_000_000L;
    private final List<LedgerWindow> ledger = List.of(
            new LedgerWindow(1, 1, W, 3, 1.5),
            new LedgerWindow(2, 1, W, 2, 0.25));

    @Test
    void matchesWhenEveryWindowIsStoredOnceExactly() {
        Map<WindowKey, StoredWindow> stored = new HashMap<>();
        stored.put(new WindowKey(1, 1, W), new StoredWindow(3, 1.5, 1));
        stored.put(new WindowKey(2, 1, W), new StoredWindow(2, 0.25, 1));
        LedgerComparison comparison = LedgerComparison.compare(ledger, stored);
        assertThat(comparison.matches()).isTrue();
        assertThat(comparison.matching()).isEqualTo(2);
        assertThat(comparison.storedEvents()).isEqualTo(5);
    }

    @Test
    void reportsMissingDoubledDifferentAndExtraWindows() {
        Map<WindowKey, StoredWindow> stored = new HashMap<>();
        stored.put(new WindowKey(1, 1, W), new StoredWindow(6, 3.0, 2));
        stored.put(new WindowKey(3, 1, W), new StoredWindow(1, 1.0, 1));
        LedgerComparison comparison = LedgerComparison.compare(ledger, stored);
        assertThat(comparison.matches()).isFalse();
        assertThat(comparison.problemCount()).isEqualTo(3);
        assertThat(comparison.problems()).anyMatch(p -> p.startsWith("stored 2 times: device 1"))
                .anyMatch(p -> p.startsWith("missing: device 2"))
                .anyMatch(p -> p.startsWith("not in the ledger: device 3"));

        stored.clear();
        stored.put(new WindowKey(1, 1, W), new StoredWindow(3, 1.5, 1));
        stored.put(new WindowKey(2, 1, W), new StoredWindow(2, 0.375, 1));
        assertThat(LedgerComparison.compare(ledger, stored).problems())
                .containsExactly("different: device 2 metric 1 window 2025-11-24T16:00:00Z ledger count 2 sum 0.25,"
                        + " stored count 2 sum 0.375");
    }

    @Test
    void onlyWindowsAboveTheLedgerExceedIt() {
        Map<WindowKey, StoredWindow> stored = new HashMap<>();
        stored.put(new WindowKey(1, 1, W), new StoredWindow(2, 1.0, 1)); // fewer: may still arrive
        LedgerComparison lagging = LedgerComparison.compare(ledger, stored);
        assertThat(lagging.matches()).isFalse();
        assertThat(lagging.exceeds()).isFalse();

        stored.put(new WindowKey(2, 1, W), new StoredWindow(3, 0.5, 1)); // more than the ledger: never heals
        stored.put(new WindowKey(9, 1, W), new StoredWindow(1, 1.0, 1)); // unknown
        LedgerComparison above = LedgerComparison.compare(ledger, stored);
        assertThat(above.exceeds()).isTrue();
        assertThat(above.excessCount()).isEqualTo(2);
        assertThat(above.excesses()).anyMatch(p -> p.startsWith("different: device 2"))
                .anyMatch(p -> p.startsWith("not in the ledger: device 9"));

        stored.clear();
        stored.put(new WindowKey(1, 1, W), new StoredWindow(3, 1.5, 2)); // right total, two rows
        assertThat(LedgerComparison.compare(ledger, stored).excesses()).singleElement()
                .satisfies(p -> assertThat(p).startsWith("stored 2 times: device 1"));
    }

    @Test
    void readsWhatTheGeneratorWrites(@TempDir Path dir) throws Exception {
        Ledger written = new Ledger(Duration.ofMinutes(5));
        written.add(new Event(4, 2, W + 10, 0.5));
        written.add(new Event(4, 2, W + 20, 0.25));
        Path file = dir.resolve("ledger.json");
        LedgerFile.write(file, 5, new Counts(3, 2, 1, 0, 0, 4, 4), written.windows());
        LedgerReader.Contents contents = new LedgerReader().read(file);
        assertThat(contents.windowMinutes()).isEqualTo(5);
        assertThat(contents.acknowledged()).isEqualTo(2);
        assertThat(contents.windows()).containsExactly(new LedgerWindow(4, 2, W, 2, 0.75));
    }
}
