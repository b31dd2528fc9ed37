package org.iotpipeline.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.iotpipeline.kafka.KafkaBrokerExtension;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The gateway against a real broker: what a 202 promises is in Kafka, what a 400 refuses is not. */
class GatewayKafkaIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final String TOPIC = "gateway-events";
    private static final EventCodec CODEC = EventCodec.withDefaults();
    private static RunningGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        kafka.broker().createTopic(TOPIC, 3);
        gateway = RunningGateway.start(kafka.bootstrapServers(), TOPIC, "");
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static List<Event> events(int firstDevice, int count) {
        long now = System.currentTimeMillis();
        return IntStream.range(0, count).mapToObj(i -> new Event(firstDevice + i % 4, i, now - i, i * 0.5 + 0.125)).toList();
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void everyAcceptedEventIsARecordKeyedByDeviceWithCanonicalJson() throws Exception {
        long before = TopicReader.endOffsetSum(kafka.bootstrapServers(), TOPIC);
        Event single = new Event(41, 1, System.currentTimeMillis(), 21.5);
        List<Event> array = events(50, 10);
        List<Event> ndjson = events(60, 7);
        List<Event> gzipped = events(70, 5);

        assertThat(gateway.post("application/json", CODEC.encode(single)).statusCode()).isEqualTo(202);
        HttpResponse<String> arrayAnswer = gateway.post("application/json; charset=utf-8", CODEC.encodeArray(array));
        assertThat(arrayAnswer.statusCode()).isEqualTo(202);
        assertThat(arrayAnswer.body()).isEqualTo("{\"accepted\":10}");
        assertThat(gateway.post("application/x-ndjson", CODEC.encodeNdjson(ndjson)).statusCode()).isEqualTo(202);
        assertThat(gateway.post("application/json", gzip(CODEC.encodeArray(gzipped)), "Content-Encoding", "gzip")
                .statusCode()).isEqualTo(202);

        List<Event> sent = new ArrayList<>();
        sent.add(single);
        sent.addAll(array);
        sent.addAll(ndjson);
        sent.addAll(gzipped);
        List<ConsumerRecord<String, String>> records = TopicReader.readAll(kafka.bootstrapServers(), TOPIC);
        assertThat(TopicReader.endOffsetSum(kafka.bootstrapServers(), TOPIC) - before).isEqualTo(sent.size());
        assertThat(records).extracting(r -> r.key() + " " + r.value())
                .containsAll(sent.stream().map(e -> e.deviceId() + " " + CODEC.encodeToString(e)).toList());
        // One device, one partition: its events stay in order for the ETL.
        Map<String, java.util.Set<Integer>> partitionsByKey = records.stream().collect(Collectors.groupingBy(
                ConsumerRecord::key, Collectors.mapping(ConsumerRecord::partition, Collectors.toSet())));
        assertThat(partitionsByKey.values()).allSatisfy(partitions -> assertThat(partitions).hasSize(1));
    }

    @Test
    void aRejectedBatchWritesNothing() throws Exception {
        long before = TopicReader.endOffsetSum(kafka.bootstrapServers(), TOPIC);
        String valid = CODEC.encodeToString(events(90, 1).get(0));
        String body = "[" + valid + "," + valid + ",{\"deviceId\":90,\"metricId\":1,\"timestamp\":" + System.currentTimeMillis()
                + ",\"value\":NaN}]";

        HttpResponse<String> answer = gateway.post("application/json", body.getBytes(StandardCharsets.UTF_8));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answer.body()).contains("\"index\":2").contains("\"field\":\"value\"");
        // A valid request afterwards is acknowledged, so anything of the rejected one would be in by now.
        assertThat(gateway.post("application/json", valid.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(202);
        assertThat(TopicReader.endOffsetSum(kafka.bootstrapServers(), TOPIC) - before).isEqualTo(1);
    }

    @Test
    void eventsOutsideTheHorizonAreRefusedWithTheReasonAndNothingOfTheRequestIsWritten() throws Exception {
        long before = TopicReader.endOffsetSum(kafka.bootstrapServers(), TOPIC);
        long now = System.currentTimeMillis();
        String valid = CODEC.encodeToString(new Event(91, 1, now, 1.5));
        String eightDaysOld = CODEC.encodeToString(new Event(91, 2, now - java.time.Duration.ofDays(8).toMillis(), 2.5));
        String tenMinutesAhead = CODEC.encodeToString(new Event(91, 3, now + java.time.Duration.ofMinutes(10).toMillis(), 3.5));
        String epochZero = CODEC.encodeToString(new Event(91, 4, 0, 4.5));
        String body = "[" + valid + "," + eightDaysOld + "," + tenMinutesAhead + "," + epochZero + "]";

        HttpResponse<String> answer = gateway.post("application/json", body.getBytes(StandardCharsets.UTF_8));

        assertThat(answer.statusCode()).isEqualTo(400);
        com.fasterxml.jackson.databind.JsonNode problem = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(answer.body());
        assertThat(problem.path("type").asText()).isEqualTo("invalid-events");
        assertThat(problem.path("errors")).hasSize(3);
        assertThat(problem.path("errors").get(0).path("index").asInt()).isEqualTo(1);
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("timestamp");
        assertThat(problem.path("errors").get(0).path("reason").asText())
                .contains("older than the receiver's clock").contains("max-event-age");
        assertThat(problem.path("errors").get(1).path("index").asInt()).isEqualTo(2);
        assertThat(problem.path("errors").get(1).path("reason").asText())
                .contains("ahead of the receiver's clock").contains("max-future-skew");
        assertThat(problem.path("errors").get(2).path("index").asInt()).isEqualTo(3);
        assertThat(problem.path("errors").get(2).path("reason").asText()).contains("max-event-age");
        // A valid request afterwards is acknowledged, so anything of the refused one would be in by now.
        assertThat(gateway.post("application/json", valid.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(202);
        assertThat(TopicReader.endOffsetSum(kafka.bootstrapServers(), TOPIC) - before).isEqualTo(1);
    }

    @Test
    void readyAndMetricsReportKafka() throws Exception {
        HttpResponse<String> ready = gateway.get("/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("1 broker");

        assertThat(gateway.post("application/json", CODEC.encode(events(95, 1).get(0))).statusCode()).isEqualTo(202);
        String metrics = gateway.get("/metrics").body();
        assertThat(metrics)
                .contains("gateway_kafka_send_seconds_count{outcome=\"success\"}")
                .contains("gateway_http_requests_seconds_count{method=\"POST\",path=\"/events\",status=\"202\"}")
                .containsPattern("gateway_events_accepted_total [1-9]")
                .contains("kafka_producer_record_send_total");
    }
}
