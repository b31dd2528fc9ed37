package org.iotpipeline.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.iotpipeline.gateway.metrics.GatewayMetrics;
import org.iotpipeline.model.BodyFormat;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventIngestionTest {

    /**
     * Longer than any test runs: a call the publisher holds stays in flight until the test
     * completes its future, however slowly the machine schedules the test. Only the test of the
     * timeout itself uses a short one.
     */
    private static final Duration SEND_TIMEOUT_NEVER_REACHED = Duration.ofHours(1);
    private static final Duration SHORT_SEND_TIMEOUT = Duration.ofMillis(100);
    /** How long a test waits for an answer that is already due; only a hung test reaches it. */
    private static final long ANSWER_BOUND_SECONDS = 30;

    private final EventCodec codec = EventCodec.withDefaults();
    private final ControllablePublisher publisher = new ControllablePublisher();
    private final InFlightLimiter inFlight = new InFlightLimiter(10);
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final EventIngestion ingestion = new EventIngestion(codec, publisher, inFlight, 5, SEND_TIMEOUT_NEVER_REACHED,
            metrics);

    @AfterEach
    void closeMetrics() {
        metrics.close();
    }

    private static List<Event> events(int count) {
        long now = System.currentTimeMillis();
        return IntStream.range(0, count).mapToObj(i -> new Event(i, 1, now, i * 1.5)).toList();
    }

    private IngestOutcome ingest(byte[] body, BodyFormat format) throws Exception {
        return answer(ingestion.ingest(body, format).toCompletableFuture());
    }

    private static IngestOutcome answer(CompletableFuture<IngestOutcome> outcome) throws Exception {
        return outcome.get(ANSWER_BOUND_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void acceptsOnlyAfterThePublisherConfirmedEveryEvent() throws Exception {
        publisher.mode(ControllablePublisher.Mode.HOLD);
        List<Event> events = events(3);

        CompletableFuture<IngestOutcome> outcome = ingestion.ingest(codec.encodeArray(events), BodyFormat.JSON)
                .toCompletableFuture();

        assertThat(publisher.published()).containsExactly(events);
        assertThat(outcome).as("not answered before the acknowledgement").isNotDone();
        assertThat(inFlight.inFlight()).isEqualTo(3);

        publisher.held().get(0).complete(null);

        assertThat(answer(outcome)).isEqualTo(new IngestOutcome.Accepted(3));
        assertThat(inFlight.inFlight()).isZero();
    }

    @Test
    void readsNdjsonAndSingleObjects() throws Exception {
        assertThat(ingest(codec.encodeNdjson(events(2)), BodyFormat.NDJSON)).isEqualTo(new IngestOutcome.Accepted(2));
        assertThat(ingest(codec.encode(events(1).get(0)), BodyFormat.JSON)).isEqualTo(new IngestOutcome.Accepted(1));
        assertThat(publisher.published()).hasSize(2);
    }

    @Test
    void anInvalidEventRejectsTheWholeBodyAndPublishesNothing() throws Exception {
        String body = "[" + codec.encodeToString(events(1).get(0)) + ",{\"deviceId\":1,\"metricId\":2,\"timestamp\":" + System.currentTimeMillis()
                + ",\"value\":\"x\"}]";

        IngestOutcome outcome = ingest(body.getBytes(StandardCharsets.UTF_8), BodyFormat.JSON);

        assertThat(outcome).isInstanceOf(IngestOutcome.Rejected.class);
        assertThat(((IngestOutcome.Rejected) outcome).error().violations())
                .singleElement().satisfies(violation -> {
                    assertThat(violation.index()).isEqualTo(1);
                    assertThat(violation.field()).isEqualTo("value");
                });
        assertThat(publisher.published()).isEmpty();
        assertThat(metrics.scrape()).contains("gateway_events_rejected_total 1.0");
    }

    @Test
    void aBatchOverThePerRequestLimitIsRefusedUnpublished() throws Exception {
        assertThat(ingest(codec.encodeArray(events(6)), BodyFormat.JSON))
                .isEqualTo(new IngestOutcome.TooManyEvents(6, 5));
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void refusesAtOnceWhenTooManyEventsAreInFlight() throws Exception {
        publisher.mode(ControllablePublisher.Mode.HOLD);
        CompletableFuture<IngestOutcome> first = ingestion.ingest(codec.encodeArray(events(5)), BodyFormat.JSON).toCompletableFuture();
        CompletableFuture<IngestOutcome> second = ingestion.ingest(codec.encodeArray(events(5)), BodyFormat.JSON).toCompletableFuture();

        IngestOutcome third = ingest(codec.encodeArray(events(1)), BodyFormat.JSON);

        assertThat(third).isInstanceOfSatisfying(IngestOutcome.Unavailable.class,
                unavailable -> assertThat(unavailable.reason()).isEqualTo(IngestOutcome.Reason.OVERLOADED));
        assertThat(publisher.published()).as("the refused request was not published").hasSize(2);

        publisher.held().forEach(future -> future.complete(null));
        publisher.mode(ControllablePublisher.Mode.ACKNOWLEDGE);
        assertThat(answer(first)).isEqualTo(new IngestOutcome.Accepted(5));
        assertThat(answer(second)).isEqualTo(new IngestOutcome.Accepted(5));
        assertThat(ingest(codec.encodeArray(events(1)), BodyFormat.JSON)).isEqualTo(new IngestOutcome.Accepted(1));
    }

    @Test
    void aPublisherFailureIsUnavailableNotAccepted() throws Exception {
        publisher.mode(ControllablePublisher.Mode.FAIL);

        IngestOutcome outcome = ingest(codec.encodeArray(events(2)), BodyFormat.JSON);

        assertThat(outcome).isInstanceOfSatisfying(IngestOutcome.Unavailable.class, unavailable -> {
            assertThat(unavailable.reason()).isEqualTo(IngestOutcome.Reason.KAFKA_FAILED);
            assertThat(unavailable.detail()).contains("broker down (test)");
        });
        assertThat(inFlight.inFlight()).isZero();
        assertThat(metrics.scrape()).contains("gateway_events_unavailable_total{reason=\"kafka_failed\"} 2.0");
    }

    @Test
    void anUnacknowledgedRequestIsAnsweredWithinTheSendTimeout() throws Exception {
        publisher.mode(ControllablePublisher.Mode.HOLD);
        EventIngestion shortTimeout = new EventIngestion(codec, publisher, inFlight, 5, SHORT_SEND_TIMEOUT, metrics);
        long started = System.nanoTime();

        IngestOutcome outcome = answer(shortTimeout.ingest(codec.encodeArray(events(2)), BodyFormat.JSON).toCompletableFuture());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not before the timeout").isGreaterThanOrEqualTo(SHORT_SEND_TIMEOUT);
        assertThat(outcome).isInstanceOfSatisfying(IngestOutcome.Unavailable.class,
                unavailable -> assertThat(unavailable.reason()).isEqualTo(IngestOutcome.Reason.TIMEOUT));
        assertThat(publisher.held().get(0))
                .as("the publisher's future is completed, so it drops events it has not sent yet")
                .isCompletedExceptionally();
        assertThat(inFlight.inFlight()).isZero();
    }
}
