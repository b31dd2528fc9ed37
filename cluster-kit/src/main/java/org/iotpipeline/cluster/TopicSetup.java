package org.iotpipeline.cluster;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the events topic with its replication, or checks that an existing one has it. */
record TopicSetup(Admin admin) {

    TopicSetup {
        requireNonNull(admin, "admin");
    }

    /** Prints {@code CREATED ...} or {@code EXISTS ...}; throws if an existing topic differs. */
    void create(String topic, int partitions, short replication, int minIsr) throws InterruptedException {
        NewTopic newTopic = new NewTopic(topic, partitions, replication)
                .configs(Map.of("min.insync.replicas", Integer.toString(minIsr)));
        try {
            admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
            System.out.println(String.format(Locale.ROOT, "CREATED %s: %d partitions, replication factor %d, min.insync.replicas %d",
                    topic, partitions, replication, minIsr));
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create " + topic + ": " + e.getCause(), e);
            }
            checkExisting(topic, partitions, replication, minIsr);
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating " + topic + " timed out", e);
        }
    }

    /** A restarted cluster keeps its topic: it must still have the replication the drills rely on. */
    private void checkExisting(String topic, int partitions, short replication, int minIsr) throws InterruptedException {
        TopicDescription description = describe(admin, topic);
        int actual = description.partitions().get(0).replicas().size();
        String actualMinIsr = minIsr(admin, topic);
        if (actual != replication || description.partitions().size() != partitions || !actualMinIsr.equals(Integer.toString(minIsr))) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s exists with %d partitions, replication factor %d, min.insync.replicas %s; expected %d, %d, %d",
                    topic, description.partitions().size(), actual, actualMinIsr, partitions, replication, minIsr));
        }
        System.out.println(String.format(Locale.ROOT, "EXISTS %s: %d partitions, replication factor %d, min.insync.replicas %s",
                topic, partitions, actual, actualMinIsr));
    }

    static TopicDescription describe(Admin admin, String topic) throws InterruptedException {
        try {
            return admin.describeTopics(Set.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not describe " + topic + ": " + e.getMessage(), e);
        }
    }

    static String minIsr(Admin admin, String topic) throws InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = admin.describeConfigs(Set.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
            return config.get("min.insync.replicas").value();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the configuration of " + topic + ": " + e.getMessage(), e);
        }
    }
}
