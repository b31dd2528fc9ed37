package org.iotpipeline.etl.progress;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.iotpipeline.etl.commit.CommitOutcome;
import org.iotpipeline.etl.stream.DeadLettersQuery;
import org.iotpipeline.etl.stream.MeasurementsQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows both streaming queries through Spark's listener bus and the committers' outcomes, and
 * answers what the admin endpoint, the metrics, the idle heartbeat and (later) compaction need.
 *
 * <p>Register it with {@code spark.streams().addListener(tracker)} before starting the queries and
 * pass {@link #onCommit} to them. Thread-safe.
 */
public final class StreamProgressTracker extends StreamingQueryListener {

    private static final Logger log = LoggerFactory.getLogger(StreamProgressTracker.class);
    private static final String DEDUPE_DROPPED = "numDroppedDuplicateRows";

    private final String eventsTopic;
    private final ProgressStore store;
    private final Clock clock;

    private final Map<UUID, String> queryNames = new ConcurrentHashMap<>();
    private final Map<String, QueryStatus> queries = new ConcurrentHashMap<>();
    private final AtomicReference<ProgressSnapshot> snapshot;
    private final AtomicReference<Instant> lastInputAt;

    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong invalidRecords = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong droppedLate = new AtomicLong();
    private final AtomicLong lateEvents = new AtomicLong();
    private final AtomicLong duplicatesDropped = new AtomicLong();
    private final AtomicLong heartbeatsSent = new AtomicLong();
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong filesWritten = new AtomicLong();
    private final AtomicLong batchesCommitted = new AtomicLong();
    private final AtomicLong batchesSkipped = new AtomicLong();

    /**
     * @param eventsTopic the topic whose Kafka lag is reported
     * @param store       where the watermark and newest event time survive restarts
     */
    public StreamProgressTracker(String eventsTopic, ProgressStore store, Clock clock) {
        this.eventsTopic = Objects.requireNonNull(eventsTopic, "eventsTopic is null");
        this.store = Objects.requireNonNull(store, "store is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.snapshot = new AtomicReference<>(store.load());
        // Idle time counts from start-up: a restart in a quiet period still closes the open windows.
        this.lastInputAt = new AtomicReference<>(clock.instant());
        for (String name : List.of(MeasurementsQuery.NAME, DeadLettersQuery.NAME)) {
            queries.put(name, QueryStatus.notStarted(name));
        }
    }

    /**
     * The event-time watermark of the measurements query as of its last committed batch (recorded
     * in the batch's commit marker).
     *
     * <p>Guarantee: every window whose end is at or before this instant is final: its row is
     * committed to staging. Events that arrive for it later are still stored, as late rows.
     * Survives restarts. Empty before the first event.
     */
    public Optional<Instant> watermark() {
        long ms = snapshot.get().watermarkMs();
        return ms > 0 ? Optional.of(Instant.ofEpochMilli(ms)) : Optional.empty();
    }

    /** Newest valid event time ever seen by the measurements query (heartbeats excluded). */
    public OptionalLong maxEventTimeMs() {
        long ms = snapshot.get().maxEventTimeMs();
        return ms >= 0 ? OptionalLong.of(ms) : OptionalLong.empty();
    }

    /** When the measurements query last read an events-topic record (or when this tracker started). */
    public Instant lastInputAt() {
        return lastInputAt.get();
    }

    /** Called by the idle heartbeat after a heartbeat was acknowledged by Kafka. */
    public void heartbeatSent() {
        heartbeatsSent.incrementAndGet();
    }

    /** Pass to the queries: counts what each batch committed. */
    public void onCommit(CommitOutcome outcome) {
        if (outcome.skipped()) {
            batchesSkipped.incrementAndGet();
            return;
        }
        if (DeadLettersQuery.NAME.equals(outcome.output())) {
            deadLetters.addAndGet(outcome.rows());
            return;
        }
        rowsWritten.addAndGet(outcome.rows());
        filesWritten.addAndGet(outcome.files());
        lateEvents.addAndGet(outcome.lateEvents());
        batchesCommitted.incrementAndGet();
        Long watermarkMs = outcome.state() == null ? null : outcome.state().watermarkMs();
        if (watermarkMs != null) {
            ProgressSnapshot before = snapshot.get();
            ProgressSnapshot after = snapshot.updateAndGet(s -> new ProgressSnapshot(outcome.batchId(),
                    Math.max(s.watermarkMs(), watermarkMs), s.maxEventTimeMs()));
            if (after.watermarkMs() != before.watermarkMs()) {
                store.save(after);
            }
        }
    }

    public PipelineTotals totals() {
        return new PipelineTotals(recordsRead.get(), invalidRecords.get(), deadLetters.get(), lateEvents.get(),
                droppedLate.get(), duplicatesDropped.get(), heartbeatsSent.get(), rowsWritten.get(), filesWritten.get(),
                batchesCommitted.get(), batchesSkipped.get());
    }

    public Optional<QueryStatus> query(String name) {
        return Optional.ofNullable(queries.get(name));
    }

    public PipelineStatus status() {
        List<QueryStatus> all = new ArrayList<>(queries.values());
        all.sort((a, b) -> a.name().compareTo(b.name()));
        OptionalLong max = maxEventTimeMs();
        return new PipelineStatus(
                watermark().map(Instant::toString).orElse(null),
                max.isPresent() ? Instant.ofEpochMilli(max.getAsLong()).toString() : null,
                lastInputAt().toString(),
                all,
                totals());
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        String name = event.name() == null ? event.id().toString() : event.name();
        queryNames.put(event.id(), name);
        queries.compute(name, (n, old) -> (old == null ? QueryStatus.notStarted(n) : old).withState(true, null));
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        String name = queryNames.getOrDefault(event.id(), event.id().toString());
        String failure = event.exception().isDefined() ? event.exception().get() : null;
        queries.computeIfPresent(name, (n, old) -> old.withState(false, failure));
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        StreamingQueryProgress progress = event.progress();
        String name = progress.name() == null ? progress.id().toString() : progress.name();
        long stateRows = 0;
        for (StateOperatorProgress op : progress.stateOperators()) {
            stateRows += op.numRowsTotal();
        }
        Long lag = kafkaLag(progress);
        // The measurements query's event-time watermark is ours (in the commit markers); Spark's
        // would be the de-duplication's processing-time one.
        String watermark = MeasurementsQuery.NAME.equals(name) ? watermark().map(Instant::toString).orElse(null) : null;
        queries.put(name, new QueryStatus(name, true, null, progress.batchId(), progress.timestamp(),
                progress.numInputRows(), finite(progress.inputRowsPerSecond()),
                finite(progress.processedRowsPerSecond()), progress.batchDuration(), lag, watermark, stateRows));
        if (MeasurementsQuery.NAME.equals(name)) {
            onMeasurementsProgress(progress);
        }
        // Where a batch's time went (addBatch = our output; latestOffset, walCommit, commitOffsets = Spark's bookkeeping).
        log.debug("{}: batch {} of {} rows, durations {}", name, progress.batchId(), progress.numInputRows(),
                progress.durationMs());
    }

    private void onMeasurementsProgress(StreamingQueryProgress progress) {
        for (StateOperatorProgress op : progress.stateOperators()) {
            // The de-duplication's watermark is processing time, so nothing is ever behind it: this
            // stays 0 unless something is badly wrong (alert on it).
            droppedLate.addAndGet(op.numRowsDroppedByWatermark());
            Long duplicates = op.customMetrics().get(DEDUPE_DROPPED);
            if (duplicates != null) {
                duplicatesDropped.addAndGet(duplicates);
            }
        }
        long maxInBatch = -1;
        Row input = progress.observedMetrics().get(MeasurementsQuery.INPUT_METRICS);
        if (input != null) {
            long records = ((Number) input.getAs("records")).longValue();
            recordsRead.addAndGet(records);
            invalidRecords.addAndGet(((Number) input.getAs("invalid")).longValue());
            if (records > 0) {
                lastInputAt.set(clock.instant());
            }
            Object max = input.getAs("max_event_time_ms");
            if (max != null) {
                maxInBatch = ((Number) max).longValue();
            }
        }
        long batchMax = maxInBatch;
        ProgressSnapshot before = snapshot.get();
        ProgressSnapshot after = snapshot.updateAndGet(s -> new ProgressSnapshot(Math.max(s.batchId(), progress.batchId()),
                s.watermarkMs(), Math.max(s.maxEventTimeMs(), batchMax)));
        if (after.maxEventTimeMs() != before.maxEventTimeMs()) {
            store.save(after);
            log.debug("measurements: watermark {} max event time {}", after.watermarkMs(), after.maxEventTimeMs());
        }
    }

    private Long kafkaLag(StreamingQueryProgress progress) {
        long total = 0;
        boolean known = false;
        for (SourceProgress source : progress.sources()) {
            OptionalLong lag = KafkaLag.of(eventsTopic, source.endOffset(), source.latestOffset());
            if (lag.isPresent()) {
                total += lag.getAsLong();
                known = true;
            }
        }
        return known ? total : null;
    }

    private static double finite(double d) {
        return Double.isFinite(d) ? d : 0;
    }
}
