package org.iotpipeline.gateway.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.iotpipeline.gateway.ingest.EventPublisher;
import org.iotpipeline.model.Event;
import org.iotpipeline.model.EventCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes events as Kafka records: key = {@link #recordKey(int) the deviceId as a decimal
 * string}, value = the event's canonical JSON ({@link EventCodec#encode(Event)}), so one device's
 * events share a partition and stay in order.
 *
 * <p>The returned stage completes when the producer acknowledged every record of the call (the
 * producer must run with {@code acks=all} and idempotence, which {@code GatewaySettings} enforces),
 * or exceptionally with the first failure.
 *
 * <p>Which thread calls {@code producer.send}: {@code send} only appends to the producer's buffer,
 * but it blocks for up to {@code max.block.ms} when the topic's metadata is missing (at start, or
 * when a broker outage dropped it) or the buffer is full. While Kafka is healthy (the latest
 * acknowledgement succeeded) records are handed over on the caller's thread, which saves a thread
 * switch per request (measured: up to 2x single-event throughput, see docs/perf-gateway.md). From
 * the first failure until the next success they go through one dedicated sender thread instead,
 * so a blocking {@code send} holds up neither the HTTP threads nor {@code GET /health}. The
 * remaining exposure is the moment an outage begins: a caller may block once for up to
 * {@code max.block.ms} before the failure is known. The sender's queue is bounded; a full queue
 * fails the call at once.
 */
public final class KafkaEventPublisher implements EventPublisher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaEventPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final EventCodec codec;
    private final ThreadPoolExecutor sender;
    // Whether the latest acknowledgement succeeded: then sends run on the caller's thread.
    private volatile boolean healthy;

    /**
     * @param producer      configured with acks=all and idempotence; this publisher closes it
     * @param queueCapacity most publish calls waiting for the sender thread
     */
    public KafkaEventPublisher(Producer<byte[], byte[]> producer, String topic, EventCodec codec, int queueCapacity) {
        this.producer = Objects.requireNonNull(producer, "producer is null");
        this.topic = Objects.requireNonNull(topic, "topic is null");
        this.codec = Objects.requireNonNull(codec, "codec is null");
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity),
                runnable -> {
                    Thread thread = new Thread(runnable, "kafka-event-sender");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** The record key of a device's events: its id as a decimal string in UTF-8, e.g. {@code "17"}. */
    public static byte[] recordKey(int deviceId) {
        return Integer.toString(deviceId).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public CompletionStage<Void> publish(List<Event> events) {
        AllAcknowledged acknowledged = new AllAcknowledged(events.size());
        if (events.isEmpty()) {
            acknowledged.result.complete(null);
            return acknowledged.result;
        }
        // Encoding on the caller's thread spreads the CPU work; the sender thread only hands over.
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events.size());
        for (Event event : events) {
            records.add(new ProducerRecord<>(topic, recordKey(event.deviceId()), codec.encode(event)));
        }
        if (healthy) {
            sendAll(records, acknowledged);
            return acknowledged.result;
        }
        try {
            sender.execute(() -> sendAll(records, acknowledged));
        } catch (RejectedExecutionException e) {
            acknowledged.result.completeExceptionally(new IllegalStateException(sender.isShutdown()
                    ? "the gateway is shutting down" : "the Kafka send queue is full", e));
        }
        return acknowledged.result;
    }

    private void sendAll(List<ProducerRecord<byte[], byte[]>> records, AllAcknowledged acknowledged) {
        for (ProducerRecord<byte[], byte[]> record : records) {
            // Failed, or answered already by the caller's timeout: the rest would only become
            // duplicates of what the client sends again.
            if (acknowledged.result.isDone()) {
                return;
            }
            try {
                producer.send(record, acknowledged);
            } catch (RuntimeException e) {
                healthy = false;
                acknowledged.result.completeExceptionally(e);
                return;
            }
        }
    }

    /**
     * Stops taking work, sends what was queued, then flushes and closes the producer: every record
     * handed to it is acknowledged or failed (and its caller told) before this returns, unless
     * {@code timeout} runs out first.
     */
    public void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        sender.shutdown();
        try {
            if (!sender.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Kafka sender did not drain within {} ms; closing the producer anyway", timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long left = Math.max(0, deadline - System.nanoTime());
        producer.close(Duration.ofNanos(left));
        log.info("Kafka producer flushed and closed");
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Completes a future once every record of one call is acknowledged, or at the first failure. */
    private final class AllAcknowledged implements Callback {
        private final CompletableFuture<Void> result = new CompletableFuture<>();
        private final AtomicInteger pending;

        AllAcknowledged(int records) {
            this.pending = new AtomicInteger(records);
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null) {
                healthy = false;
                result.completeExceptionally(exception);
                return;
            }
            if (!healthy) {
                healthy = true;
            }
            if (pending.decrementAndGet() == 0) {
                result.complete(null);
            }
        }
    }
}
