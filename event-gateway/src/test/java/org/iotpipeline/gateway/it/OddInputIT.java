package org.iotpipeline.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.iotpipeline.kafka.KafkaBrokerExtension;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Input that used to be accepted quietly (issue 13, item 10) is refused with a reason over HTTP,
 * and nothing of it reaches Kafka: timestamp 0, a value that underflows to 0.0, UTF-16/32 bodies
 * and charsets. (The forged "duplicate" is item 7's: {@code ApiKeysIT}.)
 */
class OddInputIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final String TOPIC = "odd-input";
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

    private static String event(int device, long timestamp, String value) {
        return "{\"deviceId\":" + device + ",\"metricId\":1,\"timestamp\":" + timestamp + ",\"value\":" + value + "}";
    }

    private static JsonNode refused(HttpResponse<String> answer, int status) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        return JSON.readTree(answer.body());
    }

    @Test
    void timestampZeroIsOutsideTheHorizon() throws Exception {
        JsonNode problem = refused(gateway.post("application/json", event(3, 0, "1.5").getBytes(StandardCharsets.UTF_8)), 400);

        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("timestamp");
        assertThat(problem.path("errors").get(0).path("reason").asText()).contains("max-event-age");
    }

    @Test
    void aValueThatWouldUnderflowToZeroIsNotRepresentable() throws Exception {
        String body = event(3, System.currentTimeMillis(), "1e-400");

        JsonNode problem = refused(gateway.post("application/json", body.getBytes(StandardCharsets.UTF_8)), 400);

        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("value");
        assertThat(problem.path("errors").get(0).path("reason").asText())
                .startsWith("is not representable: 1e-400").contains("would be stored as 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32BE"})
    void aBodyInUtf16Or32IsRefusedAsNotUtf8(String charset) throws Exception {
        byte[] body = event(3, System.currentTimeMillis(), "2.5").getBytes(Charset.forName(charset));

        for (String type : List.of("application/json", "application/x-ndjson")) {
            JsonNode problem = refused(gateway.post(type, body), 400);
            assertThat(problem.path("errors").get(0).path("reason").asText()).contains("must be UTF-8");
        }
    }

    @Test
    void aDeclaredCharsetOtherThanUtf8IsUnsupported() throws Exception {
        byte[] body = event(3, System.currentTimeMillis(), "2.5").getBytes(StandardCharsets.UTF_16);

        JsonNode problem = refused(gateway.post("application/x-ndjson; charset=utf-16", body), 415);

        assertThat(problem.path("type").asText()).isEqualTo("unsupported-charset");
        assertThat(problem.path("detail").asText()).contains("UTF-16").contains("UTF-8");
    }

    @Test
    void onlyTheValidUtf8EventsReachKafka() throws Exception {
        long before = TopicReader.endOffsetSum(kafka.bootstrapServers(), TOPIC);
        long now = System.currentTimeMillis();
        refused(gateway.post("application/json", event(4, 0, "1").getBytes(StandardCharsets.UTF_8)), 400);
        refused(gateway.post("application/json", event(4, now, "-1E-400").getBytes(StandardCharsets.UTF_8)), 400);
        refused(gateway.post("application/json", event(4, now, "1").getBytes(StandardCharsets.UTF_16LE)), 400);
        // A UTF-8 byte order mark is allowed (RFC 8259 lets a parser ignore it), and so are tiny but
        // representable values.
        byte[] text = (event(4, now, "4.9e-324") + "\n" + event(4, now + 1, "0e-400")).getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);

        HttpResponse<String> accepted = gateway.post("application/x-ndjson; charset=utf-8", withBom);

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(TopicReader.endOffsetSum(kafka.bootstrapServers(), TOPIC) - before).isEqualTo(2);
        assertThat(TopicReader.readAll(kafka.bootstrapServers(), TOPIC)).extracting(ConsumerRecord::value)
                .contains(CODEC.encodeToString(new Event(4, 1, now, 4.9e-324)),
                        CODEC.encodeToString(new Event(4, 1, now + 1, 0.0)));
        assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
    }
}
