package org.iotpipeline.query.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.iotpipeline.query.json.JsonMappers;
import org.iotpipeline.query.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The pipeline view from the services' answers, with a fetcher that answers what the test says. */
class PipelineMonitorTest {

    private static final String GATEWAY = "http://gw:8080";
    private static final String ETL = "http://etl:8081";
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final FakeFetcher fetcher = new FakeFetcher();
    private final ConsoleSettings settings = new ConsoleSettings(URI.create(GATEWAY), URI.create(ETL),
            Duration.ofSeconds(2), Duration.ofSeconds(1));
    private final ObjectMapper mapper = JsonMappers.create();
    private final PipelineMonitor monitor = new PipelineMonitor(fetcher, settings, mapper, clock);

    private static String gatewayMetrics(double accepted, double rejected, double unavailable, double responses503) {
        return "gateway_events_accepted_total " + accepted + "\n"
                + "gateway_events_rejected_total " + rejected + "\n"
                + "gateway_events_unavailable_total{reason=\"timeout\"} " + unavailable + "\n"
                + "gateway_http_requests_seconds_count{method=\"POST\",path=\"/events\",status=\"202\"} 9.0\n"
                + "gateway_http_requests_seconds_count{method=\"POST\",path=\"/events\",status=\"503\"} " + responses503 + "\n"
                + "gateway_events_in_flight 4.0\n";
    }

    private static String etlStatus(String watermark, boolean deadLettersActive) {
        return "{\"watermark\":\"" + watermark + "\",\"maxEventTime\":\"2026-12-01T09:59:00Z\","
                + "\"queries\":[{\"name\":\"dead-letters\",\"active\":" + deadLettersActive + ",\"lastBatchId\":3,"
                + "\"numInputRows\":4,\"inputRowsPerSecond\":1.0,\"processedRowsPerSecond\":2.0,\"batchDurationMs\":10,"
                + "\"kafkaLag\":0,\"stateRows\":0},"
                + "{\"name\":\"measurements\",\"active\":true,\"lastBatchId\":7,\"lastProgressAt\":\"2026-12-01T09:59:50Z\","
                + "\"numInputRows\":500,\"inputRowsPerSecond\":50.5,\"processedRowsPerSecond\":80.25,"
                + "\"batchDurationMs\":900,\"kafkaLag\":1200,\"stateRows\":30}],"
                + "\"totals\":{\"recordsRead\":900,\"deadLetters\":6,\"lateEvents\":11,\"droppedLate\":0},"
                + "\"compaction\":{\"runs\":3,\"failures\":1,\"lastRunAt\":\"2026-12-01T09:55:00Z\",\"lastError\":\"disk full\"}}";
    }

    private static String etlMetrics(double recordsRead, double deadLetters) {
        return "etl_records_read_total " + recordsRead + "\netl_dead_letters_total " + deadLetters + "\n";
    }

    private PipelineView read() {
        return monitor.current().toCompletableFuture().join();
    }

    @Test
    void theFirstReadingHasTotalsAndNoRatesTheNextHasRates() {
        fetcher.answer(GATEWAY + "/metrics", gatewayMetrics(100, 5, 1, 2));
        fetcher.answer(ETL + "/status", etlStatus("2026-12-01T09:58:30Z", true));
        fetcher.answer(ETL + "/metrics", etlMetrics(900, 6));

        PipelineView first = read();

        assertThat(first.at()).isEqualTo(T0.toString());
        assertThat(first.gateway()).isEqualTo(new GatewayView(GATEWAY, true, null, null, null, null, null,
                100.0, 5.0, 1.0, 2.0, 4.0));
        assertThat(first.etl()).isEqualTo(new EtlView(ETL, true, null, true, null, 50.5, 80.25, 1200L,
                "2026-12-01T09:58:30Z", 90.0, "2026-12-01T09:59:50Z", 6L, null, 11L, 0L, 3L, 1L,
                "2026-12-01T09:55:00Z", "disk full"));

        clock.advance(Duration.ofSeconds(4));
        fetcher.answer(GATEWAY + "/metrics", gatewayMetrics(300, 9, 1, 6));
        fetcher.answer(ETL + "/metrics", etlMetrics(1300, 10));
        PipelineView second = read();

        assertThat(second.gateway().acceptedPerSecond()).isEqualTo(50.0);
        assertThat(second.gateway().rejectedPerSecond()).isEqualTo(1.0);
        assertThat(second.gateway().unavailablePerSecond()).isEqualTo(0.0);
        assertThat(second.gateway().responses503PerSecond()).isEqualTo(1.0);
        assertThat(second.etl().recordsReadPerSecond()).isEqualTo(100.0);
        assertThat(second.etl().deadLettersPerSecond()).isEqualTo(1.0);
        assertThat(second.etl().freshnessSeconds()).isEqualTo(94.0);
    }

    @Test
    void aServiceThatDoesNotAnswerIsDownWithTheReasonAndTheOtherStillShows() {
        fetcher.fail(GATEWAY + "/metrics", "connection refused");
        fetcher.answer(ETL + "/status", etlStatus("2026-12-01T09:58:30Z", false));
        fetcher.fail(ETL + "/metrics", "HTTP 500");

        PipelineView view = read();

        assertThat(view.gateway()).isEqualTo(GatewayView.down(GATEWAY, "connection refused"));
        assertThat(view.etl().up()).isTrue();
        assertThat(view.etl().healthy()).isFalse();
        assertThat(view.etl().error()).isEqualTo("/metrics: HTTP 500");
        assertThat(view.etl().recordsReadPerSecond()).isNull();
        assertThat(view.etl().kafkaLag()).isEqualTo(1200L);

        fetcher.fail(ETL + "/status", "no answer within 2000 ms");
        clock.advance(Duration.ofSeconds(2));
        assertThat(read().etl()).isEqualTo(EtlView.down(ETL, "no answer within 2000 ms"));
    }

    @Test
    void aServiceThatCameBackHasNoRateUntilItsSecondReading() {
        fetcher.answer(GATEWAY + "/metrics", gatewayMetrics(100, 0, 0, 0));
        fetcher.fail(ETL + "/status", "connection refused");
        fetcher.fail(ETL + "/metrics", "connection refused");
        read();
        clock.advance(Duration.ofSeconds(2));
        fetcher.fail(GATEWAY + "/metrics", "connection refused");
        assertThat(read().gateway().up()).isFalse();

        clock.advance(Duration.ofSeconds(2));
        fetcher.answer(GATEWAY + "/metrics", gatewayMetrics(500, 0, 0, 0));
        assertThat(read().gateway().acceptedPerSecond()).isNull();
        clock.advance(Duration.ofSeconds(2));
        fetcher.answer(GATEWAY + "/metrics", gatewayMetrics(520, 0, 0, 0));
        assertThat(read().gateway().acceptedPerSecond()).isEqualTo(10.0);
    }

    @Test
    void readingsWithinTheCacheTimeAreSharedAndConcurrentViewersWaitForOneReading() {
        fetcher.answer(GATEWAY + "/metrics", gatewayMetrics(1, 0, 0, 0));
        fetcher.answer(ETL + "/status", etlStatus("2026-12-01T09:58:30Z", true));
        fetcher.answer(ETL + "/metrics", etlMetrics(1, 0));
        read();
        assertThat(fetcher.calls).hasSize(3);

        clock.advance(Duration.ofMillis(999));
        read();
        assertThat(fetcher.calls).hasSize(3);

        clock.advance(Duration.ofMillis(1));
        fetcher.hold();
        CompletableFuture<PipelineView> a = monitor.current().toCompletableFuture();
        CompletableFuture<PipelineView> b = monitor.current().toCompletableFuture();
        assertThat(a).isNotDone();
        fetcher.release();
        assertThat(a.join()).isEqualTo(b.join());
        assertThat(fetcher.calls).hasSize(6);
    }

    @Test
    void aStatusThatIsNotJsonIsDown() {
        fetcher.answer(GATEWAY + "/metrics", "");
        fetcher.answer(ETL + "/status", "<html>proxy error</html>");
        fetcher.answer(ETL + "/metrics", "");

        PipelineView view = read();

        assertThat(view.etl().up()).isFalse();
        assertThat(view.etl().error()).startsWith("/status is not JSON");
        assertThat(view.gateway().up()).isTrue();
        assertThat(view.gateway().acceptedTotal()).isNull();
        assertThat(view.gateway().responses503Total()).isEqualTo(0.0);
    }

    /** Answers per URL as told; can hold every answer until released. */
    private static final class FakeFetcher implements AdminFetcher {
        private final Map<String, CompletableFuture<String>> answers = new HashMap<>();
        private final List<String> calls = new ArrayList<>();
        private final List<Runnable> held = new ArrayList<>();
        private boolean holding;

        void answer(String url, String body) {
            answers.put(url, CompletableFuture.completedFuture(body));
        }

        void fail(String url, String reason) {
            answers.put(url, CompletableFuture.failedFuture(new FetchFailedException(reason, null)));
        }

        void hold() {
            holding = true;
        }

        void release() {
            holding = false;
            held.forEach(Runnable::run);
            held.clear();
        }

        @Override
        public synchronized CompletionStage<String> get(String url) {
            calls.add(url);
            CompletableFuture<String> answer = answers.get(url);
            if (!holding) {
                return answer;
            }
            CompletableFuture<String> later = new CompletableFuture<>();
            held.add(() -> answer.whenComplete((body, error) -> {
                if (error != null) {
                    later.completeExceptionally(error);
                } else {
                    later.complete(body);
                }
            }));
            return later;
        }
    }
}
