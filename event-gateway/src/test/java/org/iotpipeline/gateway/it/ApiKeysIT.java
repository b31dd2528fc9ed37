package org.iotpipeline.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.iotpipeline.gateway.auth.DeviceRanges;
import org.iotpipeline.gateway.auth.KeyFileEditor;
import org.iotpipeline.kafka.KafkaBrokerExtension;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * API keys against the real gateway and broker (issue 13, item 7, and the forged "duplicate" of
 * item 10): no key, a bad key, or a key used for another device writes nothing; keys change
 * without a restart; a broken key file changes nothing.
 */
class ApiKeysIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final String TOPIC = "keyed-events";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventCodec CODEC = EventCodec.withDefaults();

    @TempDir
    static Path directory;
    private static Path keysFile;
    private static KeyFileEditor keys;
    private static String fleetToken;
    private static String deviceFiveToken;
    private static RunningGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        kafka.broker().createTopic(TOPIC, 1);
        keysFile = directory.resolve("gateway-keys");
        keys = new KeyFileEditor(keysFile, new SecureRandom());
        fleetToken = keys.add("fleet-a", DeviceRanges.parse("100-199"));
        deviceFiveToken = keys.add("device-5", DeviceRanges.parse("5"));
        gateway = RunningGateway.start(kafka.bootstrapServers(), TOPIC, """
                event-gateway.auth { enabled = on, keys-file = "%s", reload-interval = 100ms }
                """.formatted(keysFile));
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static byte[] body(Event... events) {
        return events.length == 1 ? CODEC.encode(events[0]) : CODEC.encodeArray(List.of(events));
    }

    private static Event event(int device, int metric) {
        return new Event(device, metric, System.currentTimeMillis(), device + 0.5);
    }

    private static HttpResponse<String> post(byte[] body, String... headers) throws Exception {
        return gateway.post("application/json", body, headers);
    }

    private static long written() {
        return TopicReader.endOffsetSum(kafka.bootstrapServers(), TOPIC);
    }

    @Test
    void requestsWithoutAValidKeyAre401AndWriteNothing() throws Exception {
        long before = written();
        String wrongSecret = fleetToken.substring(0, fleetToken.indexOf('.') + 1) + "A".repeat(43);
        List<String[]> attempts = List.of(
                new String[0],
                new String[] {"Authorization", "Bearer " + wrongSecret},
                new String[] {"Authorization", "Bearer nobody." + "A".repeat(43)},
                new String[] {"Authorization", "Bearer " + fleetToken.replace('.', '_')},
                new String[] {"Authorization", "Basic " + fleetToken},
                new String[] {"X-Api-Key", wrongSecret});

        for (String[] headers : attempts) {
            HttpResponse<String> answer = post(body(event(150, 1)), headers);

            assertThat(answer.statusCode()).as(String.join(" ", headers)).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    challenge -> assertThat(challenge).startsWith("Bearer").contains("event-gateway"));
            assertThat(JSON.readTree(answer.body()).path("type").asText()).isEqualTo("unauthorized");
        }
        assertThat(post(body(event(150, 1)), "Authorization", "Bearer " + fleetToken).statusCode()).isEqualTo(202);
        assertThat(written() - before).as("only the authenticated request").isEqualTo(1);
    }

    @Test
    void aKeyWritesItsOwnDevicesOnly() throws Exception {
        long before = written();

        assertThat(post(body(event(150, 2)), "Authorization", "Bearer " + fleetToken).statusCode()).isEqualTo(202);
        assertThat(post(body(event(199, 2), event(100, 2)), "X-Api-Key", fleetToken).statusCode()).isEqualTo(202);
        HttpResponse<String> mixed = post(body(event(150, 3), event(5, 3), event(160, 3)),
                "Authorization", "Bearer " + fleetToken);

        assertThat(mixed.statusCode()).isEqualTo(403);
        JsonNode problem = JSON.readTree(mixed.body());
        assertThat(problem.path("type").asText()).isEqualTo("forbidden-device");
        assertThat(problem.path("detail").asText()).contains("event 1 is for device 5").contains("fleet-a")
                .contains("100-199").contains("nothing of this request was written");
        assertThat(written() - before).as("the 403 request wrote none of its three events").isEqualTo(3);
    }

    @Test
    void aForgedEventCannotTurnTheHonestOneIntoADuplicate() throws Exception {
        // The ETL drops a second (device, metric, timestamp) as a duplicate, so a forger sending first
        // could silence the real reading: the key decides who may send device 5's events.
        long timestamp = System.currentTimeMillis();
        Event forged = new Event(5, 7, timestamp, 666.0);
        Event honest = new Event(5, 7, timestamp, 21.5);

        assertThat(post(body(forged), "Authorization", "Bearer " + fleetToken).statusCode()).isEqualTo(403);
        assertThat(post(body(forged)).statusCode()).isEqualTo(401);
        assertThat(post(body(honest), "Authorization", "Bearer " + deviceFiveToken).statusCode()).isEqualTo(202);

        List<String> deviceFive = TopicReader.readAll(kafka.bootstrapServers(), TOPIC).stream()
                .filter(record -> record.key().equals("5")).map(ConsumerRecord::value).toList();
        assertThat(deviceFive).containsExactly(CODEC.encodeToString(honest));
    }

    @Test
    void keysChangeWithoutARestartAndABrokenFileKeepsTheLastGoodKeys() throws Exception {
        String lateToken = keys.add("late", DeviceRanges.parse("300-309"));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                post(body(event(300, 1)), "Authorization", "Bearer " + lateToken).statusCode() == 202);

        String revokedToken = keys.add("short-lived", DeviceRanges.parse("400"));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                post(body(event(400, 1)), "Authorization", "Bearer " + revokedToken).statusCode() == 202);
        assertThat(keys.revoke("short-lived")).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                post(body(event(400, 1)), "Authorization", "Bearer " + revokedToken).statusCode() == 401);

        double failedBefore = metric("gateway_api_key_reloads_total{outcome=\"failed\"}");
        double appliedBefore = metric("gateway_api_key_reloads_total{outcome=\"applied\"}");
        List<String> good = Files.readAllLines(keysFile, StandardCharsets.UTF_8);
        Files.writeString(keysFile, "this is not a key line\n", StandardCharsets.UTF_8);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    metric("gateway_api_key_reloads_total{outcome=\"failed\"}") > failedBefore);
            assertThat(post(body(event(301, 1)), "Authorization", "Bearer " + lateToken).statusCode())
                    .as("the last good keys stay in force").isEqualTo(202);
            assertThat(metric("gateway_api_keys")).isGreaterThanOrEqualTo(3);
        } finally {
            Files.write(keysFile, good, StandardCharsets.UTF_8);
        }
        // The repaired file is applied again (the broken one counted as failed, not applied).
        await().atMost(Duration.ofSeconds(20)).until(() ->
                metric("gateway_api_key_reloads_total{outcome=\"applied\"}") > appliedBefore);
    }

    @Test
    void healthReadyAndMetricsStayOpenAndCountOutcomes() throws Exception {
        post(body(event(150, 9)));
        post(body(event(5, 9)), "Authorization", "Bearer " + fleetToken);

        assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
        assertThat(gateway.get("/ready").statusCode()).isEqualTo(200);
        assertThat(metric("gateway_auth_requests_total{outcome=\"missing\"}")).isPositive();
        assertThat(metric("gateway_auth_requests_total{outcome=\"granted\"}")).isPositive();
        assertThat(metric("gateway_auth_requests_total{outcome=\"forbidden\"}")).isPositive();
    }

    @Test
    void withoutKeysTheGatewayRefusesToStartOnAnAddressOtherThanLoopback() {
        assertThatThrownBy(() -> RunningGateway.start(kafka.bootstrapServers(), TOPIC,
                "event-gateway.host = \"0.0.0.0\"").close())
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("refusing to start without authentication on 0.0.0.0");
        assertThatThrownBy(() -> RunningGateway.start(kafka.bootstrapServers(), TOPIC, """
                event-gateway.auth { enabled = on, keys-file = "%s" }
                """.formatted(directory.resolve("missing-keys"))).close())
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("missing-keys");
    }

    private static double metric(String name) throws Exception {
        return gateway.get("/metrics").body().lines()
                .filter(line -> line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }
}
