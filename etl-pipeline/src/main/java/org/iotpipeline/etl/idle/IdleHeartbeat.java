package org.iotpipeline.etl.idle;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.iotpipeline.etl.progress.StreamProgressTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the open windows when devices go quiet: checks the {@link StreamProgressTracker} every
 * {@link HeartbeatPolicy#checkInterval()} and, when {@link HeartbeatPolicy} says so, publishes a
 * heartbeat to the heartbeat topic, which the measurements query also reads.
 *
 * <p>Bound: once the clock is past the newest window's end + lateness (always the case for a
 * backfill), the windows holding the last events reach staging within about
 * {@code idleTimeout + checkInterval + 2 x trigger interval + 2 x batch time} after the last
 * record: one batch reads the heartbeat and moves the watermark, the next emits the windows. For
 * live data the window closes instead within about {@code idleTimeout + checkInterval + ...}
 * after its end + lateness, as it would have with traffic.
 */
public final class IdleHeartbeat implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IdleHeartbeat.class);
    private static final byte[] KEY = "heartbeat".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final String topic;
    private final HeartbeatPolicy policy;
    private final StreamProgressTracker tracker;
    private final Clock clock;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ScheduledExecutorService timer;
    private Instant lastHeartbeatAt;
    private boolean lastSendFailed;

    private IdleHeartbeat(Map<String, Object> kafkaClient, String topic, HeartbeatPolicy policy,
                          StreamProgressTracker tracker, Clock clock) {
        this.topic = Objects.requireNonNull(topic, "topic is null");
        this.policy = Objects.requireNonNull(policy, "policy is null");
        this.tracker = Objects.requireNonNull(tracker, "tracker is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        Map<String, Object> config = new HashMap<>(Objects.requireNonNull(kafkaClient, "kafkaClient is null"));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "iot-etl-heartbeat");
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "etl-idle-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts checking; the topic must exist (see {@link #ensureTopic}).
     *
     * @param kafkaClient Kafka client properties, at least {@code bootstrap.servers}
     */
    public static IdleHeartbeat start(Map<String, Object> kafkaClient, String topic, HeartbeatPolicy policy,
                                      StreamProgressTracker tracker, Clock clock) {
        IdleHeartbeat heartbeat = new IdleHeartbeat(kafkaClient, topic, policy, tracker, clock);
        long every = policy.checkInterval().toMillis();
        heartbeat.timer.scheduleWithFixedDelay(heartbeat::check, every, every, TimeUnit.MILLISECONDS);
        log.info("Idle heartbeat on {}: after {} without records, checked every {} ms", topic, policy.idleTimeout(),
                every);
        return heartbeat;
    }

    /**
     * Creates the heartbeat topic with one partition (the broker's default replication) unless it exists.
     *
     * @param kafkaClient Kafka client properties, at least {@code bootstrap.servers}
     * @throws IllegalStateException naming the topic and brokers if Kafka cannot be reached
     */
    public static void ensureTopic(Map<String, Object> kafkaClient, String topic) {
        Object bootstrapServers = kafkaClient.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        Map<String, Object> config = new HashMap<>(Objects.requireNonNull(kafkaClient, "kafkaClient is null"));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
                    .all().get(60, TimeUnit.SECONDS);
            log.info("Created heartbeat topic {}", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create heartbeat topic " + topic + " on "
                        + bootstrapServers + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within 60 s while "
                    + "creating heartbeat topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating heartbeat topic " + topic, e);
        }
    }

    private void check() {
        Instant now = clock.instant();
        OptionalLong due = policy.due(now, tracker.lastInputAt(), tracker.watermark(), tracker.maxEventTimeMs(),
                lastHeartbeatAt);
        if (due.isEmpty()) {
            return;
        }
        try {
            producer.send(new ProducerRecord<>(topic, KEY, Heartbeats.encode(due.getAsLong()))).get(30, TimeUnit.SECONDS);
            lastHeartbeatAt = now;
            tracker.heartbeatSent();
            lastSendFailed = false;
            log.info("No records for {}; sent heartbeat at event time {} to close the open windows",
                    policy.idleTimeout(), Instant.ofEpochMilli(due.getAsLong()));
        } catch (ExecutionException | TimeoutException e) {
            // Retried on the next check; logged once per outage.
            if (!lastSendFailed) {
                log.warn("Could not send a heartbeat to {} (will retry): {}", topic, e.getMessage());
            }
            lastSendFailed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("Idle heartbeat check failed; will retry", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
