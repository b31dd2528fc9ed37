package org.iotpipeline.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.iotpipeline.generator.RecordingGateway.Arrival;
import org.iotpipeline.generator.RecordingGateway.Behaviour;
import org.iotpipeline.generator.report.Counts;
import org.iotpipeline.generator.report.RunSummary;
import org.iotpipeline.model.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the generator against a real akka-http server in the same JVM ({@link RecordingGateway})
 * and checks its books against what the server actually persisted.
 */
class LoadRunIT {

    /** Two days back, on an hour boundary: inside the gateway's horizon (iot.events.max-event-age, 7 days). */
    private static final Instant BACKFILL_START = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS)
            .minus(Duration.ofDays(2));
    private static final long FIVE_MINUTES = 300_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ActorSystemExtension actors = new ActorSystemExtension("load-run-it");

    @TempDir
    Path temp;

    /** 20 devices x 3 metrics, one tick every 10 s of event time from BACKFILL_START, as fast as possible. */
    private Map<String, Object> backfillRun(String url, int events) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("url", url);
        settings.put("devices", 20);
        settings.put("metrics-per-device", 3);
        settings.put("interval", "10s");
        settings.put("event-count", events);
        settings.put("backfill.start", BACKFILL_START.toString());
        settings.put("backfill.speed", "max");
        settings.put("backfill.continue-live", true);
        settings.put("concurrency", 8);
        settings.put("retry.initial-backoff", "1ms");
        settings.put("retry.max-backoff", "20ms");
        settings.put("progress-interval", "0s");
        return settings;
    }

    private static GeneratorSettings settings(Map<String, Object> overrides) {
        Map<String, Object> paths = new HashMap<>();
        overrides.forEach((key, value) -> paths.put(GeneratorSettings.ROOT + "." + key, value));
        return GeneratorSettings.from(ConfigFactory.parseMap(paths).withFallback(ConfigFactory.defaultReference()).resolve(),
                Clock.systemUTC());
    }

    private record Finished(RunSummary summary, List<String> output) {
    }

    private static Finished run(Map<String, Object> overrides) {
        ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
        LoadRun run = LoadRun.start(settings(overrides), actors.system(), Clock.systemUTC(), output::add);
        RunSummary summary = run.finished().toCompletableFuture().join();
        return new Finished(summary, new ArrayList<>(output));
    }

    @ParameterizedTest(name = "batch size {0}")
    @ValueSource(ints = {1, 7})
    void everyEventEndsWithExactlyOneOutcomeAndTheLedgerMatchesWhatTheServerPersisted(int batchSize) throws IOException {
        Behaviour behaviour = Behaviour.acceptAll().refusing(3, 7).failingEveryNewBody(5);
        try (RecordingGateway gateway = new RecordingGateway(actors.system(), behaviour)) {
            Path ledger = temp.resolve("ledger.json");
            Map<String, Object> overrides = backfillRun(gateway.url(), 3000);
            overrides.put("batch-size", batchSize);
            overrides.put("ledger-path", ledger.toString());

            Finished finished = run(overrides);

            Counts counts = finished.summary().counts();
            assertThat(counts.generated()).isEqualTo(3000);
            assertThat(counts.acknowledged() + counts.rejected() + counts.failed()).isEqualTo(counts.generated());
            assertThat(counts.failed()).isZero();
            assertThat(finished.summary().exitCode()).isZero();
            assertThat(finished.summary().retries()).isEqualTo(gateway.unavailableAnswers()).isPositive();
            assertThat(String.join("\n", finished.output()))
                    .contains("generated 3,000 = acknowledged " + String.format("%,d", counts.acknowledged()))
                    .contains("adds up");

            // The generated events are exactly the fleet's first 50 ticks (60 events each).
            Set<String> expectedKeys = new HashSet<>();
            for (int tick = 0; tick < 50; tick++) {
                for (int device = 0; device < 20; device++) {
                    for (int metric = 0; metric < 3; metric++) {
                        expectedKeys.add(key(device, metric, BACKFILL_START.toEpochMilli() + tick * 10_000L));
                    }
                }
            }
            List<Event> persisted = gateway.persistedEvents();
            List<Event> refused = gateway.refused();
            Set<String> seen = new HashSet<>();
            persisted.forEach(e -> assertThat(seen.add(key(e))).as("persisted twice: %s", e).isTrue());
            refused.forEach(e -> assertThat(seen.add(key(e))).as("both persisted and refused, or refused twice: %s", e).isTrue());
            assertThat(seen).isEqualTo(expectedKeys);
            assertThat((long) persisted.size()).isEqualTo(counts.acknowledged());
            assertThat((long) refused.size()).isEqualTo(counts.rejected());
            assertThat(persisted).noneMatch(e -> e.deviceId() == 3 || e.deviceId() == 7);
            if (batchSize == 1) {
                assertThat(refused).allMatch(e -> e.deviceId() == 3 || e.deviceId() == 7).hasSize(2 * 3 * 50);
            }

            JsonNode file = JSON.readTree(ledger.toFile());
            assertThat(file.get("windowMinutes").asInt()).isEqualTo(5);
            assertThat(file.get("generated").asLong()).isEqualTo(counts.generated());
            assertThat(file.get("acknowledged").asLong()).isEqualTo(counts.acknowledged());
            assertThat(file.get("rejected").asLong()).isEqualTo(counts.rejected());
            assertThat(file.get("failed").asLong()).isZero();
            assertThat(file.get("duplicatesSent").asLong()).isZero();
            assertThat(windowsOf(file)).containsExactlyElementsOf(windowsOf(persisted));
        }
    }

    @Test
    void aDeviceTheServerNeverTakesFailsAfterExactlyMaxAttempts() {
        try (RecordingGateway gateway = new RecordingGateway(actors.system(), Behaviour.acceptAll().unavailableFor(1))) {
            Map<String, Object> overrides = backfillRun(gateway.url(), 600);
            overrides.put("retry.max-attempts", 3);

            Finished finished = run(overrides);

            Counts counts = finished.summary().counts();
            long expectedFailed = 3 * 10; // device 1: 3 metrics x 10 ticks
            assertThat(counts.failed()).isEqualTo(expectedFailed);
            assertThat(counts.unresolved()).isZero();
            assertThat(counts.acknowledged()).isEqualTo(600 - expectedFailed);
            assertThat(gateway.unavailableAnswers()).isEqualTo(expectedFailed * 3);
            assertThat(finished.summary().retries()).isEqualTo(expectedFailed * 2);
            assertThat(gateway.persistedEvents()).noneMatch(e -> e.deviceId() == 1).hasSize(600 - 30);
            assertThat(finished.summary().exitCode()).isEqualTo(RunSummary.EXIT_FAILED_EVENTS);
        }
    }

    @Test
    void retryAfterIsHonoured() {
        try (RecordingGateway gateway = new RecordingGateway(actors.system(), Behaviour.acceptAll().failingEvery(1, 1))) {
            Map<String, Object> overrides = backfillRun(gateway.url(), 1);
            overrides.put("retry.max-attempts", 2);

            Finished finished = run(overrides);

            // Every request is answered 503 with Retry-After: 1 (the backoff alone would be 1 ms).
            assertThat(finished.summary().counts().failed()).isEqualTo(1);
            List<Long> times = gateway.requestTimes();
            assertThat(times).hasSize(2);
            assertThat(times.get(1) - times.get(0)).isGreaterThanOrEqualTo(1000);
        }
    }

    @Test
    void aRequestWithoutAnswerTimesOutAndIsRetried() {
        try (RecordingGateway gateway = new RecordingGateway(actors.system(), Behaviour.acceptAll().hanging(n -> n == 1))) {
            Map<String, Object> overrides = backfillRun(gateway.url(), 1);
            overrides.put("request-timeout", "1s");

            Finished finished = run(overrides);

            assertThat(finished.summary().counts().acknowledged()).isEqualTo(1);
            assertThat(finished.summary().retries()).isEqualTo(1);
            assertThat(gateway.requests()).isEqualTo(2);
            assertThat(gateway.persistedEvents()).hasSize(1);
        }
    }

    @Test
    void duplicatesAreSentButBookedOnce() throws IOException {
        try (RecordingGateway gateway = new RecordingGateway(actors.system(), Behaviour.acceptAll())) {
            Path ledger = temp.resolve("ledger.json");
            Map<String, Object> overrides = backfillRun(gateway.url(), 1200);
            overrides.put("duplicate-fraction", 0.25);
            overrides.put("ledger-path", ledger.toString());

            Counts counts = run(overrides).summary().counts();

            assertThat(counts.acknowledged()).isEqualTo(1200);
            List<Event> persisted = gateway.persistedEvents();
            Map<String, Long> copies = persisted.stream().collect(Collectors.groupingBy(LoadRunIT::key, Collectors.counting()));
            assertThat(copies).hasSize(1200);
            assertThat(copies.values()).allMatch(n -> n == 1 || n == 2);
            long twice = copies.values().stream().filter(n -> n == 2).count();
            assertThat(counts.duplicatesSent()).isEqualTo(twice).isEqualTo(counts.duplicatesAcknowledged());
            assertThat(twice).isBetween(200L, 400L);

            JsonNode file = JSON.readTree(ledger.toFile());
            assertThat(file.get("duplicatesSent").asLong()).isEqualTo(twice);
            assertThat(windowsOf(file)).containsExactlyElementsOf(windowsOf(persisted.stream().distinct().toList()));
        }
    }

    @Test
    void theSameSeedProducesTheSameEventSequence() {
        List<List<Event>> sequences = new ArrayList<>();
        for (long seed : new long[] {7, 7, 8}) {
            try (RecordingGateway gateway = new RecordingGateway(actors.system(), Behaviour.acceptAll())) {
                Map<String, Object> overrides = backfillRun(gateway.url(), 500);
                overrides.put("concurrency", 1);
                overrides.put("seed", seed);
                run(overrides);
                sequences.add(gateway.persistedEvents());
            }
        }
        assertThat(sequences.get(0)).hasSize(500).isEqualTo(sequences.get(1));
        List<Double> values7 = sequences.get(0).stream().map(Event::value).toList();
        List<Double> values8 = sequences.get(2).stream().map(Event::value).toList();
        assertThat(values8).isNotEqualTo(values7);
    }

    @Test
    void backfillKeepsEachDeviceInOrderNeverPassesThePresentAndStopsWhenCaughtUp() {
        try (RecordingGateway gateway = new RecordingGateway(actors.system(), Behaviour.acceptAll())) {
            long startedAt = System.currentTimeMillis();
            Map<String, Object> overrides = backfillRun(gateway.url(), 0);
            overrides.put("devices", 5);
            overrides.put("interval", "100ms");
            overrides.put("backfill.start", "3s");
            overrides.put("backfill.continue-live", false);
            overrides.put("concurrency", 1);

            Finished finished = run(overrides);

            assertThat(finished.summary().endReason()).contains("caught up");
            List<Arrival> arrivals = gateway.persisted();
            assertThat(arrivals).allSatisfy(a -> assertThat(a.event().timestamp()).isLessThanOrEqualTo(a.receivedAt()));
            Map<Integer, List<Long>> perDevice = new TreeMap<>();
            arrivals.forEach(a -> perDevice.computeIfAbsent(a.event().deviceId(), d -> new ArrayList<>()).add(a.event().timestamp()));
            assertThat(perDevice).hasSize(5);
            perDevice.values().forEach(timestamps -> assertThat(timestamps).isSortedAccordingTo(Comparator.naturalOrder()));
            long newest = arrivals.stream().mapToLong(a -> a.event().timestamp()).max().orElseThrow();
            assertThat(newest).isGreaterThanOrEqualTo(startedAt - 100);
        }
    }

    @Test
    void aSpeedFactorPacesEventTime() {
        try (RecordingGateway gateway = new RecordingGateway(actors.system(), Behaviour.acceptAll())) {
            long before = System.currentTimeMillis();
            Map<String, Object> overrides = backfillRun(gateway.url(), 0);
            overrides.put("devices", 2);
            overrides.put("metrics-per-device", 1);
            overrides.put("interval", "100ms");
            overrides.put("backfill.start", "2s");
            overrides.put("backfill.speed", 4);
            overrides.put("backfill.continue-live", false);

            run(overrides);

            List<Arrival> arrivals = gateway.persisted();
            long start = arrivals.stream().mapToLong(a -> a.event().timestamp()).min().orElseThrow();
            // Simulated time may not run ahead of 4x the wall time since the run started.
            assertThat(arrivals).allSatisfy(a ->
                    assertThat(a.receivedAt()).isGreaterThanOrEqualTo(before + (a.event().timestamp() - start) / 4 - 1));
        }
    }

    @Test
    void stoppingLetsRequestsInFlightFinishAndPrintsTheSummary() {
        try (RecordingGateway gateway = new RecordingGateway(actors.system(), Behaviour.acceptAll().failingEveryNewBody(10))) {
            Map<String, Object> overrides = backfillRun(gateway.url(), 0);
            overrides.put("backfill.start", "");
            overrides.put("devices", 200);
            overrides.put("interval", "100ms");
            overrides.put("rate", 2000);
            ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
            LoadRun run = LoadRun.start(settings(overrides), actors.system(), Clock.systemUTC(), output::add);
            await().atMost(Duration.ofSeconds(20)).until(() -> run.counts().acknowledged() >= 500);

            RunSummary summary = run.stop("test").toCompletableFuture().join();

            Counts counts = summary.counts();
            assertThat(counts.unresolved()).isZero();
            assertThat(counts.failed()).isZero();
            assertThat(counts.acknowledged() + counts.rejected()).isEqualTo(counts.generated());
            assertThat((long) gateway.persistedEvents().size()).isEqualTo(counts.acknowledged());
            assertThat(String.join("\n", output)).contains("SUMMARY (stopped: test)").contains("adds up");
        }
    }

    @Test
    void requestsStillOpenAtTheShutdownTimeoutCountAsFailed() {
        try (RecordingGateway gateway = new RecordingGateway(actors.system(), Behaviour.acceptAll().hanging(n -> n > 20))) {
            Map<String, Object> overrides = backfillRun(gateway.url(), 0);
            overrides.put("concurrency", 4);
            overrides.put("shutdown-timeout", "500ms");
            LoadRun run = LoadRun.start(settings(overrides), actors.system(), Clock.systemUTC(), line -> { });
            await().atMost(Duration.ofSeconds(20)).until(() -> gateway.requests() >= 24);

            RunSummary summary = run.stop("test").toCompletableFuture().join();

            Counts counts = summary.counts();
            assertThat(counts.acknowledged()).isEqualTo(20);
            assertThat(counts.unresolved()).isEqualTo(4);
            assertThat(counts.failed()).isEqualTo(4);
            assertThat(counts.generated()).isEqualTo(24);
            assertThat(summary.exitCode()).isEqualTo(RunSummary.EXIT_FAILED_EVENTS);
            assertThat(summary.render()).contains("still in flight at the shutdown timeout");
        }
    }

    private static String key(Event e) {
        return key(e.deviceId(), e.metricId(), e.timestamp());
    }

    private static String key(int device, int metric, long timestamp) {
        return device + "/" + metric + "/" + timestamp;
    }

    /** Windows as "start device metric count sum" lines, in the ledger's order. */
    private static List<String> windowsOf(JsonNode ledger) {
        List<String> lines = new ArrayList<>();
        ledger.get("windows").forEach(w -> lines.add(w.get("windowStart").asLong() + " " + w.get("deviceId").asInt() + " "
                + w.get("metricId").asInt() + " " + w.get("count").asLong() + " " + w.get("sum").asDouble()));
        return lines;
    }

    /** The same, computed independently from events. */
    private static List<String> windowsOf(List<Event> events) {
        record Window(long start, int device, int metric) {
        }
        Map<Window, double[]> totals = new TreeMap<>(Comparator.comparingLong(Window::start)
                .thenComparingInt(Window::device).thenComparingInt(Window::metric));
        for (Event e : events) {
            double[] t = totals.computeIfAbsent(new Window(e.timestamp() / FIVE_MINUTES * FIVE_MINUTES, e.deviceId(), e.metricId()),
                    w -> new double[2]);
            t[0]++;
            t[1] += e.value();
        }
        List<String> lines = new ArrayList<>();
        totals.forEach((w, t) -> lines.add(w.start() + " " + w.device() + " " + w.metric() + " " + (long) t[0] + " " + t[1]));
        return lines;
    }
}
