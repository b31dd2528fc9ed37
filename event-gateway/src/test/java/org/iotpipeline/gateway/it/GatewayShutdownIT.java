package org.iotpipeline.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.iotpipeline.kafka.KafkaBrokerExtension;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SIGTERM's shutdown: stop accepting, let in-flight requests finish, flush the producer. */
class GatewayShutdownIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final EventCodec CODEC = EventCodec.withDefaults();

    @Test
    void aRequestInFlightAtShutdownIsAnsweredAndItsEventsAreInKafka() throws Exception {
        String topic = "shutdown-events";
        kafka.broker().createTopic(topic, 1);
        // A long linger keeps the records in the producer's buffer while the shutdown starts.
        RunningGateway gateway = RunningGateway.start(kafka.bootstrapServers(), topic,
                "event-gateway.kafka.producer.linger.ms = 2000");
        List<Event> events = List.of(new Event(7, 1, System.currentTimeMillis(), 3.5),
                new Event(7, 2, System.currentTimeMillis(), 4.5));

        CompletableFuture<HttpResponse<String>> inFlight = gateway.postAsync("application/json", CODEC.encodeArray(events));
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.eventsInFlight() == 2.0);
        CompletableFuture<?> shutdown = gateway.shutdown().toCompletableFuture();

        HttpResponse<String> answer = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(answer.body()).isEqualTo("{\"accepted\":2}");
        shutdown.get(60, TimeUnit.SECONDS);

        assertThatThrownBy(() -> gateway.post("application/json", CODEC.encode(events.get(0))))
                .as("the port is closed").isInstanceOf(IOException.class);
        assertThat(TopicReader.readAll(kafka.bootstrapServers(), topic)).extracting(ConsumerRecord::value)
                .containsExactlyElementsOf(events.stream().map(CODEC::encodeToString).toList());
        gateway.close();
    }

    @Test
    void recordsStillBufferedWhenTheDrainRunsOutAreFlushedOnClose() throws Exception {
        String topic = "flush-events";
        kafka.broker().createTopic(topic, 1);
        // The drain ends long before the linger does: only closing the producer can send the record.
        RunningGateway gateway = RunningGateway.start(kafka.bootstrapServers(), topic, """
                event-gateway.shutdown-drain-timeout = 200ms
                event-gateway.kafka.send-timeout = 30s
                event-gateway.kafka.producer { linger.ms = 20000, delivery.timeout.ms = 25000 }
                """);
        Event event = new Event(8, 1, System.currentTimeMillis(), 5.5);

        CompletableFuture<HttpResponse<String>> inFlight = gateway.postAsync("application/json", CODEC.encode(event));
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.eventsInFlight() == 1.0);
        long started = System.nanoTime();
        gateway.shutdown().toCompletableFuture().get(60, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("flushed, not waited out").isLessThan(Duration.ofSeconds(15));
        assertThat(TopicReader.readAll(kafka.bootstrapServers(), topic)).extracting(ConsumerRecord::value)
                .containsExactly(CODEC.encodeToString(event));
        // The client itself was cut off at the drain deadline: no 202 was promised, and a retry
        // would be a duplicate the ETL removes. Either way the request is over.
        await().atMost(Duration.ofSeconds(30)).until(inFlight::isDone);
        gateway.close();
    }
}
