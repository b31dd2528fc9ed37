package org.iotpipeline.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.iotpipeline.kafka.KafkaBrokerExtension;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow clients (issue 13, item 9): a client trickling its request head or body, or idling on a
 * keep-alive connection, is cut off within the configured bound, so it cannot hold one of the
 * gateway's few connections while others wait. Bounds here are 2 s; the tests allow 20 s before
 * calling it a failure, far below akka's idle timeout (60 s), which every trickled byte restarts.
 */
class SlowClientsIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final String TOPIC = "slow-clients";
    private static final int MAX_CONNECTIONS = 2;
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final Duration TRICKLE = Duration.ofMillis(100);
    private static final EventCodec CODEC = EventCodec.withDefaults();
    private static RunningGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        kafka.broker().createTopic(TOPIC, 1);
        gateway = RunningGateway.start(kafka.bootstrapServers(), TOPIC, """
                event-gateway { max-connections = %d, request-header-timeout = 2s, body-read-timeout = 2s }
                """.formatted(MAX_CONNECTIONS));
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static byte[] oneEvent() {
        return CODEC.encode(new Event(9, 1, System.currentTimeMillis(), 1.5));
    }

    @Test
    void clientsTricklingHeadersAreCutOffAndAWaitingClientIsServed() throws Exception {
        double closedBefore = closedForHeaderTimeout();
        List<RawConnection> tricklers = new ArrayList<>();
        try {
            // As many as the gateway serves at once: without a header deadline nobody else gets in.
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                RawConnection trickler = RawConnection.open(gateway.port());
                trickler.sendThenTrickle("POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", "abcdefgh", TRICKLE);
                tricklers.add(trickler);
            }

            CompletableFuture<HttpResponse<String>> waiting = gateway.postAsync("application/json", oneEvent());

            assertThat(waiting.get(WITHIN.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(202);
            for (RawConnection trickler : tricklers) {
                String answer = trickler.closedByServer().get(WITHIN.toSeconds(), TimeUnit.SECONDS);
                assertThat(answer).as("closed without an answer").isEmpty();
            }
        } finally {
            for (RawConnection trickler : tricklers) {
                trickler.close();
            }
        }
        assertThat(closedForHeaderTimeout() - closedBefore).isGreaterThanOrEqualTo(MAX_CONNECTIONS);
        assertStillServing();
    }

    @Test
    void aTrickledBodyGets408AndTheConnectionIsClosed() throws Exception {
        try (RawConnection slow = RawConnection.open(gateway.port())) {
            slow.sendThenTrickle("POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n[", " ", TRICKLE);

            String answer = slow.closedByServer().get(WITHIN.toSeconds(), TimeUnit.SECONDS);

            assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout").contains("application/problem+json");
        }
        assertStillServing();
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheHeaderTimeout() throws Exception {
        String body = new String(oneEvent(), java.nio.charset.StandardCharsets.ISO_8859_1);
        try (RawConnection idle = RawConnection.open(gateway.port())) {
            idle.send("POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body);

            String answer = idle.closedByServer().get(WITHIN.toSeconds(), TimeUnit.SECONDS);

            assertThat(answer).startsWith("HTTP/1.1 202 Accepted").endsWith("{\"accepted\":1}");
        }
        assertStillServing();
    }

    private static double closedForHeaderTimeout() throws Exception {
        return gateway.get("/metrics").body().lines()
                .filter(line -> line.startsWith("gateway_connections_closed_total{reason=\"request_header_timeout\"}"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow();
    }

    private static void assertStillServing() throws Exception {
        assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
        assertThat(gateway.post("application/json", oneEvent()).statusCode()).isEqualTo(202);
    }
}
