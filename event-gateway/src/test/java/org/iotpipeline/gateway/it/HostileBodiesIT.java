package org.iotpipeline.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.iotpipeline.kafka.KafkaBrokerExtension;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bodies made to cost the gateway (issue 13, item 8): a kilobyte of gzip that inflates to a
 * million broken events, and ten thousand broken events within the limits. Both get small answers,
 * nothing is written, and the gateway goes on serving.
 */
class HostileBodiesIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final String TOPIC = "hostile-bodies";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventCodec CODEC = EventCodec.withDefaults();
    private static RunningGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        kafka.broker().createTopic(TOPIC, 1);
        gateway = RunningGateway.start(kafka.bootstrapServers(), TOPIC, "");
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void aKilobyteOfGzipInflatingToAMillionBrokenEventsIsRefusedAtTheEventLimit() throws Exception {
        // The example: {}\n up to the 1 MiB body limit, ~350,000 events of 4 violations each.
        byte[] bomb = gzip("{}\n".repeat((int) (gateway.settings().maxBodySize() / 3)).getBytes(StandardCharsets.UTF_8));
        assertThat(bomb.length).as("small on the wire").isLessThan(4_000);
        long before = TopicReader.endOffsetSum(kafka.bootstrapServers(), TOPIC);

        // A few at once, as in the issue; before the fix each built an 81 MB body.
        List<CompletableFuture<HttpResponse<String>>> answers = IntStream.range(0, 6)
                .mapToObj(i -> gateway.postAsync("application/x-ndjson", bomb, "Content-Encoding", "gzip")).toList();

        for (CompletableFuture<HttpResponse<String>> future : answers) {
            HttpResponse<String> answer = future.get(60, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(413);
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.path("type").asText()).isEqualTo("too-many-events");
            assertThat(problem.path("detail").asText()).contains("more than " + gateway.settings().maxEventsPerRequest());
            assertThat(answer.body().length()).isLessThan(1_000);
        }
        assertGatewayServesAndWroteNothingSince(before);
    }

    @Test
    void tenThousandBrokenEventsListAHundredViolationsAndCountTheRest() throws Exception {
        int events = gateway.settings().maxEventsPerRequest();
        long before = TopicReader.endOffsetSum(kafka.bootstrapServers(), TOPIC);

        HttpResponse<String> answer = gateway.post("application/x-ndjson",
                "{}\n".repeat(events).getBytes(StandardCharsets.UTF_8));

        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.path("type").asText()).isEqualTo("invalid-events");
        assertThat(problem.path("errors")).hasSize(gateway.settings().maxReportedViolations());
        assertThat(problem.path("detail").asText()).startsWith((4 * events) + " invalid events: ")
                .endsWith("(only the first 100 violations are listed)");
        assertThat(answer.body().length()).as("bounded by the cap, not by the body").isLessThan(16_000);
        assertGatewayServesAndWroteNothingSince(before);
    }

    @Test
    void theCapIsConfigurable() throws Exception {
        try (RunningGateway small = RunningGateway.start(kafka.bootstrapServers(), TOPIC,
                "event-gateway.max-reported-violations = 3")) {
            HttpResponse<String> answer = small.post("application/json", "[{},{}]".getBytes(StandardCharsets.UTF_8));

            assertThat(answer.statusCode()).isEqualTo(400);
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.path("errors")).hasSize(3);
            assertThat(problem.path("detail").asText()).startsWith("8 invalid events: ");
        }
    }

    private static void assertGatewayServesAndWroteNothingSince(long endOffsetsBefore) throws Exception {
        assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
        Event valid = new Event(1, 1, System.currentTimeMillis(), 1.5);
        assertThat(gateway.post("application/json", CODEC.encode(valid)).statusCode()).isEqualTo(202);
        // The valid request is acknowledged, so anything of the refused ones would be in by now.
        assertThat(TopicReader.endOffsetSum(kafka.bootstrapServers(), TOPIC) - endOffsetsBefore).isEqualTo(1);
    }
}
