package org.iotpipeline.generator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.iotpipeline.generator.report.Counts;
import org.iotpipeline.model.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {

    private static final long W = 1_764_000_000_000L; // 2025-11-24T16:00:00Z, a multiple of 5 minutes

    @TempDir
    Path temp;

    @Test
    void windowsAreEpochAlignedAndSortedByStartDeviceMetric() {
        Ledger ledger = new Ledger(Duration.ofMinutes(5));
        ledger.add(new Event(17, 3, W + 299_999, 1.5));
        ledger.add(new Event(17, 3, W, 2.25));
        ledger.add(new Event(17, 3, W + 300_000, 4));
        ledger.add(new Event(2, 9, W + 300_000, 1));
        ledger.add(new Event(2, 1, W + 1, 1));
        assertThat(ledger.windows()).containsExactly(
                new LedgerWindow(2, 1, W, 1, 1),
                new LedgerWindow(17, 3, W, 2, 3.75),
                new LedgerWindow(2, 9, W + 300_000, 1, 1),
                new LedgerWindow(17, 3, W + 300_000, 1, 4));
        assertThat(ledger.windowStart(W - 1)).isEqualTo(W - 300_000);
        assertThat(ledger.windowMinutes()).isEqualTo(5);
    }

    @Test
    void theWindowMustBeWholeMinutes() {
        assertThatThrownBy(() -> new Ledger(Duration.ofSeconds(90))).hasMessageContaining("whole number of minutes");
    }

    @Test
    void theFileHasTheDocumentedShapeAndReplacesAnOldOne() throws IOException {
        Path file = temp.resolve("out/ledger.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "old");
        Counts counts = new Counts(20, 12, 5, 3, 0, 2, 2);

        LedgerFile.write(file, 5, counts, List.of(new LedgerWindow(17, 3, W, 12, 257.25)));

        assertThat(Files.readString(file)).isEqualTo("{\"windowMinutes\":5,\"generated\":20,\"acknowledged\":12,"
                + "\"rejected\":5,\"failed\":3,\"duplicatesSent\":2,\"windows\":[{\"deviceId\":17,\"metricId\":3,"
                + "\"windowStart\":1764000000000,\"count\":12,\"sum\":257.25}]}");
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).containsExactly(file);
        }
    }
}
