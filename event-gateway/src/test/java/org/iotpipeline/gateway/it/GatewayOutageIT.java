package org.iotpipeline.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.iotpipeline.kafka.KafkaBrokerExtension;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kafka goes away and comes back under one gateway process: every request is answered within the
 * bound, never 2xx while nothing can be persisted, and 202 again once the broker is back.
 */
class GatewayOutageIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final String TOPIC = "outage-events";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(4);
    /** Slack for HTTP and scheduling on a busy 2-core CI machine. */
    private static final Duration SLACK = Duration.ofSeconds(2);
    private static final EventCodec CODEC = EventCodec.withDefaults();
    private static RunningGateway gateway;
    private final AtomicInteger nextDevice = new AtomicInteger();

    @BeforeAll
    static void startGateway() throws Exception {
        kafka.broker().createTopic(TOPIC, 2);
        gateway = RunningGateway.start(kafka.bootstrapServers(), TOPIC, """
                event-gateway {
                  ready-cache-ttl = 100ms
                  kafka.send-timeout = 4s
                  kafka.producer { max.block.ms = 1500, request.timeout.ms = 1000, delivery.timeout.ms = 3000,
                                   reconnect.backoff.max.ms = 500 }
                }
                """);
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    private List<Event> batch() {
        int device = nextDevice.getAndIncrement();
        long now = System.currentTimeMillis();
        return List.of(new Event(device, 1, now, 1.0), new Event(device, 2, now, 2.0));
    }

    @Test
    void answers503WithinTheBoundDuringAnOutageAndRecoversWithoutRestart() throws Exception {
        List<Event> acknowledged = new ArrayList<>();
        List<Event> before = batch();
        assertThat(gateway.post("application/json", CODEC.encodeArray(before)).statusCode()).isEqualTo(202);
        acknowledged.addAll(before);

        kafka.broker().stop();

        for (int i = 0; i < 3; i++) {
            long started = System.nanoTime();
            HttpResponse<String> answer = gateway.post("application/json", CODEC.encodeArray(batch()));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(answer.statusCode()).as("nothing can be persisted, so never 2xx").isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).hasValue("2");
            assertThat(answer.body()).contains("Kafka");
            assertThat(took).as("answered within the send timeout").isLessThan(SEND_TIMEOUT.plus(SLACK));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(gateway.get("/ready").statusCode()).isEqualTo(503));
        assertThat(gateway.get("/health").statusCode()).isEqualTo(200);

        kafka.broker().restart();

        // Same gateway process: the producer reconnects by itself.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<Event> events = batch();
            HttpResponse<String> answer = gateway.post("application/json", CODEC.encodeArray(events));
            assertThat(answer.statusCode()).isIn(202, 503);
            if (answer.statusCode() == 202) {
                acknowledged.addAll(events);
            }
            assertThat(answer.statusCode()).isEqualTo(202);
        });
        assertThat(gateway.get("/ready").statusCode()).isEqualTo(200);

        List<String> stored = TopicReader.readAll(kafka.bootstrapServers(), TOPIC).stream()
                .map(ConsumerRecord::value).toList();
        assertThat(stored).as("every acknowledged event survived the outage")
                .containsAll(acknowledged.stream().map(CODEC::encodeToString).toList());
    }
}
