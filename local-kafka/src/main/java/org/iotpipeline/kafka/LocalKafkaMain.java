package org.iotpipeline.kafka;

import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the development broker until SIGTERM: formats {@code data/kafka} on first start, creates the
 * events topic if it is missing, and logs {@code READY} once clients can connect (the start script
 * waits for that line).
 */
public final class LocalKafkaMain {

    private static final Logger log = LoggerFactory.getLogger(LocalKafkaMain.class);

    private LocalKafkaMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalKafkaSettings settings = LocalKafkaSettings.from(ConfigFactory.load());
        LocalKafkaBroker broker = LocalKafkaBroker.start(settings.broker());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Shutdown requested; stopping the Kafka broker");
            broker.stop();
            stopped.countDown();
        }, "local-kafka-shutdown"));
        boolean created = broker.createTopic(settings.topic(), settings.topicPartitions());
        log.info("Topic {} {}", settings.topic(), created
                ? "created with " + settings.topicPartitions() + " partition(s)" : "already exists");
        log.info("READY: Kafka on {} (data in {})", broker.bootstrapServers(), settings.broker().dataDir().toAbsolutePath());
        stopped.await();
    }
}
