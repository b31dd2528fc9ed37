package org.iotpipeline.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.headers.ContentEncoding;
import akka.http.javadsl.model.headers.HttpEncodings;
import akka.http.javadsl.testkit.TestRoute;
import akka.http.javadsl.testkit.TestRouteResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.iotpipeline.gateway.health.ReadinessCheck;
import org.iotpipeline.gateway.ingest.ControllablePublisher;
import org.iotpipeline.gateway.ingest.EventIngestion;
import org.iotpipeline.gateway.ingest.InFlightLimiter;
import org.iotpipeline.gateway.metrics.GatewayMetrics;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every status of the HTTP API, in-process through akka-http's route testkit, without a broker. */
class GatewayRoutesTest extends JUnit5RouteTest {

    private static final int MAX_BODY = 64 * 1024;
    private static final int MAX_EVENTS = 100;
    private static final int MAX_IN_FLIGHT = 150;
    /**
     * Longer than any test runs: a request the publisher holds stays in flight until the test
     * completes its future, however slowly the machine schedules the test. Only the test of the
     * timeout itself uses a short one.
     */
    private static final Duration SEND_TIMEOUT_NEVER_REACHED = Duration.ofHours(1);
    private static final Duration SHORT_SEND_TIMEOUT = Duration.ofMillis(100);
    private static final ContentType NDJSON = ContentTypes.create(MediaTypes.applicationBinary("x-ndjson", MediaTypes.COMPRESSIBLE));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventCodec codec = EventCodec.withDefaults();
    private final AtomicBoolean kafkaReachable = new AtomicBoolean(true);
    private ControllablePublisher publisher;
    private GatewayMetrics metrics;
    private TestRoute route;

    @BeforeEach
    void buildRoutes() {
        publisher = new ControllablePublisher();
        metrics = new GatewayMetrics();
        route = testRoute(routes(SEND_TIMEOUT_NEVER_REACHED, false));
    }

    @AfterEach
    void closeMetrics() {
        metrics.close();
    }

    private akka.http.javadsl.server.Route routes(Duration sendTimeout, boolean benchmarkRoute) {
        InFlightLimiter inFlight = new InFlightLimiter(MAX_IN_FLIGHT);
        metrics.bindInFlight(inFlight::inFlight);
        EventIngestion ingestion = new EventIngestion(codec, publisher, inFlight, MAX_EVENTS, sendTimeout, metrics);
        ReadinessCheck readiness = () -> CompletableFuture.completedFuture(kafkaReachable.get()
                ? new ReadinessCheck.Readiness(true, "Kafka up (test)")
                : new ReadinessCheck.Readiness(false, "Kafka down (test)"));
        return new GatewayRoutes(ingestion, readiness, metrics, MAX_BODY, Duration.ofSeconds(5), Duration.ofSeconds(3),
                benchmarkRoute).routes();
    }

    private static List<Event> events(int count) {
        long now = System.currentTimeMillis();
        return IntStream.range(0, count).mapToObj(i -> new Event(100 + i, 7, now - i, i + 0.25)).toList();
    }

    private static HttpRequest post(ContentType type, byte[] body) {
        return HttpRequest.POST("/events").withEntity(type, body);
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static JsonNode json(TestRouteResult result) {
        try {
            return JSON.readTree(result.entityString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode problem(TestRouteResult result, int status) {
        result.assertStatusCode(status).assertMediaType("application/problem+json");
        JsonNode body = json(result);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("type").asText()).isNotBlank();
        assertThat(body.path("detail").asText()).isNotBlank();
        return body;
    }

    // --- 202 ---

    @Test
    void oneEventIsAcceptedOnceAcknowledged() {
        Event event = events(1).get(0);

        TestRouteResult result = route.run(post(ContentTypes.APPLICATION_JSON, codec.encode(event)));

        result.assertStatusCode(202).assertMediaType("application/json").assertEntity("{\"accepted\":1}");
        assertThat(publisher.published()).containsExactly(List.of(event));
    }

    @Test
    void aJsonArrayIsAcceptedWhole() {
        List<Event> batch = events(3);

        route.run(post(ContentTypes.APPLICATION_JSON, codec.encodeArray(batch)))
                .assertStatusCode(202).assertEntity("{\"accepted\":3}");
        assertThat(publisher.published()).containsExactly(batch);
    }

    @Test
    void ndjsonIsAccepted() {
        List<Event> batch = events(4);

        route.run(post(NDJSON, codec.encodeNdjson(batch))).assertStatusCode(202).assertEntity("{\"accepted\":4}");
        assertThat(publisher.published()).containsExactly(batch);
    }

    @Test
    void aGzipBodyIsDecompressed() {
        List<Event> batch = events(5);

        route.run(post(ContentTypes.APPLICATION_JSON, gzip(codec.encodeArray(batch)))
                        .addHeader(ContentEncoding.create(HttpEncodings.GZIP)))
                .assertStatusCode(202).assertEntity("{\"accepted\":5}");
        assertThat(publisher.published()).containsExactly(batch);
    }

    // --- 400 ---

    @Test
    void invalidEventsAreNamedByIndexFieldAndReasonAndNothingIsPublished() {
        String body = "[" + codec.encodeToString(events(1).get(0))
                + ",{\"deviceId\":\"17\",\"metricId\":3,\"timestamp\":" + System.currentTimeMillis() + ",\"value\":1}]";

        JsonNode problem = problem(route.run(post(ContentTypes.APPLICATION_JSON, body.getBytes(StandardCharsets.UTF_8))), 400);

        assertThat(problem.path("type").asText()).isEqualTo("invalid-events");
        JsonNode error = problem.path("errors").get(0);
        assertThat(error.path("index").asInt()).isEqualTo(1);
        assertThat(error.path("field").asText()).isEqualTo("deviceId");
        assertThat(error.path("reason").asText()).contains("string");
        assertThat(problem.path("errors")).hasSize(1);
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void malformedJsonIsABadRequest() {
        JsonNode problem = problem(route.run(post(ContentTypes.APPLICATION_JSON, "{\"deviceId\": 1,".getBytes(StandardCharsets.UTF_8))), 400);

        assertThat(problem.path("errors").get(0).path("reason").asText()).contains("malformed JSON");
    }

    @Test
    void aCorruptGzipBodyIsABadRequest() {
        problem(route.run(post(ContentTypes.APPLICATION_JSON, "not gzip".getBytes(StandardCharsets.UTF_8))
                .addHeader(ContentEncoding.create(HttpEncodings.GZIP))), 400);
        assertThat(publisher.published()).isEmpty();
    }

    // --- 413 ---

    @Test
    void aBodyOverTheLimitIsTooLarge() {
        byte[] body = new byte[MAX_BODY + 1];
        Arrays.fill(body, (byte) ' ');

        JsonNode problem = problem(route.run(post(ContentTypes.APPLICATION_JSON, body)), 413);

        assertThat(problem.path("detail").asText()).contains(Integer.toString(MAX_BODY));
    }

    @Test
    void aGzipBombIsTooLargeAfterDecompression() {
        byte[] inflated = new byte[20 * MAX_BODY];
        Arrays.fill(inflated, (byte) ' ');
        byte[] compressed = gzip(inflated);
        assertThat(compressed.length).as("small on the wire").isLessThan(MAX_BODY);

        problem(route.run(post(ContentTypes.APPLICATION_JSON, compressed)
                .addHeader(ContentEncoding.create(HttpEncodings.GZIP))), 413);
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void aBatchOverTheEventLimitIsTooLarge() {
        JsonNode problem = problem(route.run(post(ContentTypes.APPLICATION_JSON, codec.encodeArray(events(MAX_EVENTS + 1)))), 413);

        assertThat(problem.path("type").asText()).isEqualTo("too-many-events");
        assertThat(publisher.published()).isEmpty();
    }

    // --- 415 ---

    @Test
    void anotherMediaTypeIsUnsupported() {
        JsonNode problem = problem(route.run(post(ContentTypes.TEXT_PLAIN_UTF8, "hello".getBytes(StandardCharsets.UTF_8))), 415);

        assertThat(problem.path("detail").asText()).contains("text/plain").contains("application/x-ndjson");
    }

    @Test
    void anotherContentEncodingIsUnsupported() {
        problem(route.run(post(ContentTypes.APPLICATION_JSON, codec.encode(events(1).get(0)))
                .addHeader(ContentEncoding.create(HttpEncodings.DEFLATE))), 415);
        assertThat(publisher.published()).isEmpty();
    }

    // --- 404 / 405 ---

    @Test
    void anUnknownPathIsNotFound() {
        problem(route.run(HttpRequest.GET("/nothing-here")), 404);
    }

    @Test
    void aWrongMethodIsNotAllowedAndSaysWhichIs() {
        TestRouteResult result = route.run(HttpRequest.GET("/events"));

        problem(result, 405);
        result.assertHeaderExists("Allow", "POST");
    }

    // --- 503 ---

    @Test
    void aKafkaFailureIsUnavailableWithRetryAfter() {
        publisher.mode(ControllablePublisher.Mode.FAIL);

        TestRouteResult result = route.run(post(ContentTypes.APPLICATION_JSON, codec.encodeArray(events(2))));

        JsonNode problem = problem(result, 503);
        result.assertHeaderExists("Retry-After", "3");
        assertThat(problem.path("detail").asText()).contains("broker down (test)");
    }

    @Test
    void noAcknowledgementWithinTheSendTimeoutIsUnavailable() {
        publisher.mode(ControllablePublisher.Mode.HOLD);
        TestRoute shortTimeout = testRoute(routes(SHORT_SEND_TIMEOUT, false));

        TestRouteResult result = shortTimeout.run(post(ContentTypes.APPLICATION_JSON, codec.encodeArray(events(2))));

        JsonNode problem = problem(result, 503);
        result.assertHeaderExists("Retry-After", "3");
        assertThat(problem.path("detail").asText()).contains("within " + SHORT_SEND_TIMEOUT.toMillis() + " ms");
        assertThat(publisher.held()).singleElement().satisfies(future -> assertThat(future).isCompletedExceptionally());
    }

    @Test
    void tooManyEventsInFlightIsUnavailableAtOnce() throws Exception {
        publisher.mode(ControllablePublisher.Mode.HOLD);
        // Holds 100 of the 150 slots until the test completes its future (the send timeout is never reached).
        CompletableFuture<TestRouteResult> first = CompletableFuture.supplyAsync(
                () -> route.run(post(ContentTypes.APPLICATION_JSON, codec.encodeArray(events(MAX_EVENTS)))));
        await().atMost(Duration.ofSeconds(30)).until(() -> publisher.held().size() == 1);

        TestRouteResult result = route.run(post(ContentTypes.APPLICATION_JSON, codec.encodeArray(events(MAX_EVENTS))));

        JsonNode problem = problem(result, 503);
        result.assertHeaderExists("Retry-After", "3");
        assertThat(problem.path("detail").asText()).contains("in flight");
        assertThat(publisher.published()).hasSize(1);

        publisher.held().get(0).complete(null);
        first.get(30, TimeUnit.SECONDS).assertStatusCode(202).assertEntity("{\"accepted\":100}");
    }

    // --- health, readiness, metrics ---

    @Test
    void healthIsUpRegardlessOfKafka() {
        kafkaReachable.set(false);
        route.run(HttpRequest.GET("/health")).assertStatusCode(200).assertEntity("{\"status\":\"up\"}");
    }

    @Test
    void servesItsOpenApiDocument() {
        TestRouteResult document = route.run(HttpRequest.GET("/openapi.yaml")).assertStatusCode(200);

        assertThat(document.response().entity().getContentType().mediaType().toString()).isEqualTo("application/yaml");
        assertThat(document.entityString()).startsWith("openapi: 3.1.0").contains("  /events:");
    }

    @Test
    void readyFollowsKafka() {
        route.run(HttpRequest.GET("/ready")).assertStatusCode(200);

        kafkaReachable.set(false);
        TestRouteResult down = route.run(HttpRequest.GET("/ready"));
        assertThat(problem(down, 503).path("detail").asText()).contains("Kafka down (test)");
        down.assertHeaderExists("Retry-After", "3");
    }

    @Test
    void metricsCountRequestsByStatusAndEvents() {
        route.run(post(ContentTypes.APPLICATION_JSON, codec.encodeArray(events(3)))).assertStatusCode(202);
        route.run(post(ContentTypes.TEXT_PLAIN_UTF8, new byte[] {1})).assertStatusCode(415);

        String text = route.run(HttpRequest.GET("/metrics")).assertStatusCode(200).entityString();

        assertThat(text)
                .contains("gateway_http_requests_seconds_count{method=\"POST\",path=\"/events\",status=\"202\"} 1")
                .contains("gateway_http_requests_seconds_count{method=\"POST\",path=\"/events\",status=\"415\"} 1")
                .contains("gateway_events_accepted_total 3.0")
                .contains("gateway_kafka_send_seconds_bucket")
                .contains("gateway_events_in_flight 0.0")
                .contains("jvm_memory_used_bytes");
    }

    // --- benchmark route ---

    @Test
    void theBenchmarkRouteExistsOnlyWhenEnabled() {
        problem(route.run(HttpRequest.POST("/bench/noop").withEntity(ContentTypes.APPLICATION_JSON, "{}")), 404);

        testRoute(routes(SEND_TIMEOUT_NEVER_REACHED, true)).run(HttpRequest.POST("/bench/noop").withEntity(ContentTypes.APPLICATION_JSON, "{}"))
                .assertStatusCode(202);
        assertThat(publisher.published()).isEmpty();
    }
}
