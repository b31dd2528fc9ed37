package org.iotpipeline.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a test class a fresh, real Kafka broker (KRaft, in this JVM) on free ports with its own
 * temporary data directory, started once before all tests and removed after them.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
 *
 * @Test void sends() { ... kafka.bootstrapServers() ... }
 * }</pre>
 *
 * <p>Tests that need an outage call {@code kafka.broker().stop()} and {@code restart()}: the
 * broker comes back on the same ports with its data.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokerExtension.class);
    private static final String HOST = "127.0.0.1";
    private static final int START_ATTEMPTS = 3;

    private final Map<String, String> brokerProperties = new HashMap<>();
    private LocalKafkaBroker broker;
    private Path dataDir;

    /** Sets a broker property (e.g. {@code log.retention.ms}) for this test class's broker. */
    public KafkaBrokerExtension withBrokerProperty(String key, String value) {
        brokerProperties.put(key, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("local-kafka-test-");
        RuntimeException lastFailure = null;
        // Free ports are probed, then bound by the broker; another process may win the race.
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int[] ports = FreePorts.pick(2, HOST);
            try {
                broker = LocalKafkaBroker.start(
                        new BrokerSettings(HOST, ports[0], ports[1], dataDir.resolve("attempt-" + attempt), brokerProperties));
                return;
            } catch (RuntimeException e) {
                lastFailure = e;
                log.warn("Test broker start attempt {} on ports {}/{} failed: {}", attempt, ports[0], ports[1],
                        e.getMessage());
            }
        }
        throw lastFailure;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (broker != null) {
                broker.stop();
            }
        } finally {
            deleteRecursively(dataDir);
        }
    }

    /** The running broker, to stop, restart or create topics. */
    public LocalKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker starts before all tests; register the extension on a static field");
        }
        return broker;
    }

    /** {@code host:port} for clients. */
    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    private static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not fully delete test broker data in {}: {}", root, e.getMessage());
        }
    }
}
