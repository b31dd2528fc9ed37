package org.iotpipeline.generator.report;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.iotpipeline.generator.delivery.BatchReport;
import org.iotpipeline.generator.delivery.Delivery;
import org.iotpipeline.generator.delivery.Outcome;
import org.iotpipeline.generator.ledger.Ledger;
import org.iotpipeline.generator.ledger.LedgerWindow;
import org.iotpipeline.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The books of a run: how many events were generated and what became of each, plus the ledger of
 * the acknowledged ones.
 *
 * <p>Guarantee: every event counted by {@link #generated(int)} is counted under exactly one
 * outcome, once {@link #record(BatchReport)} has seen its delivery or {@link #seal()} has
 * declared it failed; after sealing nothing changes, so the summary and the ledger agree.
 * Thread-safe.
 */
public final class Tally {

    private static final Logger log = LoggerFactory.getLogger(Tally.class);
    /** Rejections and failures are logged one by one up to this many, then only counted. */
    private static final int LOGGED_PROBLEMS = 10;

    private final Optional<Ledger> ledger;
    private volatile long generated;
    private volatile long newestGenerated = -1;
    private volatile long acknowledged;
    private volatile long rejected;
    private volatile long failed;
    private long unresolved;
    private volatile long duplicatesSent;
    private volatile long duplicatesAcknowledged;
    private long problemsLogged;
    private boolean sealed;

    /** @param ledger where acknowledged events are booked, if a ledger is kept */
    public Tally(Optional<Ledger> ledger) {
        this.ledger = Objects.requireNonNull(ledger, "ledger is null");
    }

    /** {@code events} more events were handed to the HTTP client; the newest carries {@code newestTimestamp}. */
    public synchronized void generated(int events, long newestTimestamp) {
        if (!sealed) {
            generated += events;
            newestGenerated = Math.max(newestGenerated, newestTimestamp);
        }
    }

    /** Event time of the newest event generated so far (epoch ms), or -1 before the first. */
    public long newestGenerated() {
        return newestGenerated;
    }

    /** Books the outcome of one request (and of its deliberate re-send). */
    public synchronized void record(BatchReport report) {
        if (sealed) {
            return;
        }
        Delivery original = report.original();
        int size = original.events().size();
        switch (original.outcome()) {
            case ACKNOWLEDGED -> {
                acknowledged += size;
                ledger.ifPresent(book -> original.events().forEach(book::add));
            }
            case REJECTED -> {
                rejected += size;
                logProblem("rejected", original);
            }
            case FAILED -> {
                failed += size;
                logProblem("failed", original);
            }
        }
        report.duplicate().ifPresent(duplicate -> {
            duplicatesSent += duplicate.events().size();
            if (duplicate.outcome() == Outcome.ACKNOWLEDGED) {
                duplicatesAcknowledged += duplicate.events().size();
            } else {
                logProblem("duplicate " + duplicate.outcome().name().toLowerCase(Locale.ROOT), duplicate);
            }
        });
    }

    /** The counts now (for progress; may be mid-update). */
    public Counts snapshot() {
        return new Counts(generated, acknowledged, rejected, failed, 0, duplicatesSent, duplicatesAcknowledged);
    }

    /**
     * Closes the books: events still in flight count as failed, because whether the gateway
     * persisted them is unknown; later outcomes are ignored.
     */
    public synchronized Counts seal() {
        if (!sealed) {
            sealed = true;
            unresolved = generated - acknowledged - rejected - failed;
            failed += unresolved;
            if (unresolved > 0) {
                log.warn("{} events were still in flight when the run ended; they count as failed", unresolved);
            }
        }
        return new Counts(generated, acknowledged, rejected, failed, unresolved, duplicatesSent, duplicatesAcknowledged);
    }

    /** The ledger's windows, once sealed. */
    public synchronized List<LedgerWindow> ledgerWindows() {
        if (!sealed) {
            throw new IllegalStateException("the ledger is read only after the tally is sealed");
        }
        return ledger.map(Ledger::windows).orElse(List.of());
    }

    private void logProblem(String what, Delivery delivery) {
        problemsLogged++;
        if (problemsLogged <= LOGGED_PROBLEMS) {
            Event first = delivery.events().get(0);
            log.warn("{} events {} after {} attempt(s): {} (first event: device {}, metric {}, timestamp {}){}",
                    delivery.events().size(), what, delivery.attempts(), delivery.detail(),
                    first.deviceId(), first.metricId(), first.timestamp(),
                    problemsLogged == LOGGED_PROBLEMS ? "; further problems are only counted" : "");
        }
    }
}
