package org.iotpipeline.gateway.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.iotpipeline.gateway.health.ReadinessCheck;

/**
 * Ready when the Kafka cluster answers a describe-cluster request with at least one broker within
 * the timeout. Owns its admin client; close it on shutdown.
 */
public final class KafkaReadiness implements ReadinessCheck, AutoCloseable {

    private final Admin admin;
    private final String bootstrapServers;
    private final int timeoutMs;

    public KafkaReadiness(Map<String, Object> adminConfig, String bootstrapServers, Duration timeout) {
        this.admin = Admin.create(Objects.requireNonNull(adminConfig, "adminConfig is null"));
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers is null");
        this.timeoutMs = Math.toIntExact(Objects.requireNonNull(timeout, "timeout is null").toMillis());
    }

    @Override
    public CompletionStage<Readiness> check() {
        return admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes().toCompletionStage()
                .handle((nodes, failure) -> {
                    if (failure != null) {
                        return new Readiness(false, "Kafka at " + bootstrapServers + " is not reachable: " + failure);
                    }
                    if (nodes.isEmpty()) {
                        return new Readiness(false, "Kafka at " + bootstrapServers + " reports no brokers");
                    }
                    return new Readiness(true, "Kafka at " + bootstrapServers + " has " + nodes.size() + " broker(s)");
                });
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
