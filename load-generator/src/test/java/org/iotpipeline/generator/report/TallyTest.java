package org.iotpipeline.generator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.iotpipeline.generator.delivery.BatchReport;
import org.iotpipeline.generator.delivery.Delivery;
import org.iotpipeline.generator.delivery.Outcome;
import org.iotpipeline.generator.ledger.Ledger;
import org.iotpipeline.generator.ledger.LedgerWindow;
import org.iotpipeline.model.Event;
import org.junit.jupiter.api.Test;

class TallyTest {

    private static final long T = 1_764_000_000_000L;

    private static Delivery delivery(Outcome outcome, Event... events) {
        return new Delivery(List.of(events), outcome, 1, "test");
    }

    @Test
    void booksEachOutcomeAndOnlyAcknowledgedOriginalsInTheLedger() {
        Tally tally = new Tally(Optional.of(new Ledger(Duration.ofMinutes(5))));
        Event a = new Event(1, 0, T, 1);
        Event b = new Event(1, 0, T + 1, 2);
        Event c = new Event(2, 0, T, 3);
        Event d = new Event(3, 0, T, 4);
        tally.generated(4, T + 1);
        tally.record(new BatchReport(delivery(Outcome.ACKNOWLEDGED, a, b), Optional.of(delivery(Outcome.ACKNOWLEDGED, a))));
        tally.record(new BatchReport(delivery(Outcome.REJECTED, c), Optional.empty()));
        tally.record(new BatchReport(delivery(Outcome.FAILED, d), Optional.empty()));

        Counts counts = tally.seal();

        assertThat(counts).isEqualTo(new Counts(4, 2, 1, 1, 0, 1, 1));
        assertThat(counts.addsUp()).isTrue();
        assertThat(tally.newestGenerated()).isEqualTo(T + 1);
        assertThat(tally.ledgerWindows()).containsExactly(new LedgerWindow(1, 0, T, 2, 3));
    }

    @Test
    void sealingCountsWhatIsInFlightAsFailedAndFreezesTheBooks() {
        Tally tally = new Tally(Optional.empty());
        tally.generated(5, T);
        tally.record(new BatchReport(delivery(Outcome.ACKNOWLEDGED, new Event(1, 0, T, 1)), Optional.empty()));
        assertThatThrownBy(tally::ledgerWindows).isInstanceOf(IllegalStateException.class);

        Counts counts = tally.seal();
        tally.record(new BatchReport(delivery(Outcome.ACKNOWLEDGED, new Event(2, 0, T, 1)), Optional.empty()));
        tally.generated(3, T);

        assertThat(counts).isEqualTo(new Counts(5, 1, 0, 4, 4, 0, 0));
        assertThat(tally.seal()).isEqualTo(counts);
        assertThat(tally.ledgerWindows()).isEmpty();
    }
}
