package org.iotpipeline.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Kafka steps of {@code scripts/cluster}: create the events topic with its replication, tell which
 * broker leads the most partitions, and wait (polling every 100 ms, with a deadline) until the
 * cluster has its brokers, or until every partition has a leader and enough in-sync replicas.
 * Exit codes: 0 done, 1 failed or timed out (the reason on stderr), 2 bad arguments.
 *
 * <pre>
 * KafkaClusterMain await-brokers BOOTSTRAP COUNT TIMEOUT_S
 * KafkaClusterMain create-topic  BOOTSTRAP TOPIC PARTITIONS REPLICATION MIN_ISR
 * KafkaClusterMain describe      BOOTSTRAP TOPIC           prints each partition, then "TOP_LEADER id count"
 * KafkaClusterMain await-leaders BOOTSTRAP TOPIC MIN_ISR TIMEOUT_S [WITHOUT_BROKER]
 * </pre>
 *
 * <p>{@code await-leaders} prints {@code WATCHING ...} after its first look if the partitions are not
 * ready yet (a drill starts it before killing a leader and waits for that line), and at the end
 * {@code LEADERS ... at <epoch ms>}: the moment it first saw every partition ready.
 */
public final class KafkaClusterMain {

    private static final long POLL_MS = 100;

    private KafkaClusterMain() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            usage("a command and the bootstrap servers are required");
        }
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[1],
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000"))) {
            switch (args[0]) {
                case "await-brokers" -> {
                    arity(args, 4);
                    awaitBrokers(admin, Integer.parseInt(args[2]), seconds(args[3]));
                }
                case "create-topic" -> {
                    arity(args, 6);
                    createTopic(admin, args[2], Integer.parseInt(args[3]), Short.parseShort(args[4]), Integer.parseInt(args[5]));
                }
                case "describe" -> {
                    arity(args, 3);
                    describe(admin, args[2]);
                }
                case "await-leaders" -> {
                    if (args.length != 5 && args.length != 6) {
                        usage("await-leaders takes BOOTSTRAP TOPIC MIN_ISR TIMEOUT_S [WITHOUT_BROKER]");
                    }
                    Optional<Integer> without = args.length == 6 ? Optional.of(Integer.parseInt(args[5])) : Optional.empty();
                    awaitLeaders(admin, args[2], Integer.parseInt(args[3]), seconds(args[4]), without);
                }
                default -> usage("unknown command " + args[0]);
            }
        } catch (NumberFormatException e) {
            usage("not a number: " + e.getMessage());
        } catch (IllegalStateException e) {
            System.err.println("ERROR: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        }
    }

    private static void awaitBrokers(Admin admin, int count, long timeoutMs) throws InterruptedException {
        long start = System.nanoTime();
        String last = "no answer";
        while (elapsedMs(start) < timeoutMs) {
            try {
                Collection<Node> nodes = admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                if (nodes.size() >= count) {
                    System.out.println(String.format(Locale.ROOT, "BROKERS %d after %d ms", nodes.size(), elapsedMs(start)));
                    return;
                }
                last = nodes.size() + " broker(s)";
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                last = String.valueOf(e.getMessage());
            }
            Thread.sleep(POLL_MS);
        }
        throw new IllegalStateException("the cluster did not have " + count + " brokers within " + timeoutMs + " ms (last: " + last + ")");
    }

    private static void createTopic(Admin admin, String topic, int partitions, short replication, int minIsr)
            throws InterruptedException {
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
            TopicDescription description = describeTopic(admin, topic);
            int actual = description.partitions().get(0).replicas().size();
            String actualMinIsr = minIsr(admin, topic);
            if (actual != replication || description.partitions().size() != partitions || !actualMinIsr.equals(Integer.toString(minIsr))) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s exists with %d partitions, replication factor %d, min.insync.replicas %s; expected %d, %d, %d",
                        topic, description.partitions().size(), actual, actualMinIsr, partitions, replication, minIsr));
            }
            System.out.println(String.format(Locale.ROOT, "EXISTS %s: %d partitions, replication factor %d, min.insync.replicas %s",
                    topic, partitions, actual, actualMinIsr));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("creating " + topic + " timed out", e);
        }
    }

    private static void describe(Admin admin, String topic) throws InterruptedException {
        TopicDescription description = describeTopic(admin, topic);
        Map<Integer, Integer> leads = new TreeMap<>();
        for (TopicPartitionInfo p : description.partitions()) {
            System.out.println(String.format(Locale.ROOT, "PARTITION %d leader %s replicas %s isr %s", p.partition(),
                    p.leader() == null ? "none" : Integer.toString(p.leader().id()), ids(p.replicas()), ids(p.isr())));
            if (p.leader() != null) {
                leads.merge(p.leader().id(), 1, Integer::sum);
            }
        }
        System.out.println("MIN_ISR " + minIsr(admin, topic));
        // The broker leading the most partitions; on a tie the lowest id (the map is sorted by id).
        Map.Entry<Integer, Integer> top = null;
        for (Map.Entry<Integer, Integer> entry : leads.entrySet()) {
            if (top == null || entry.getValue() > top.getValue()) {
                top = entry;
            }
        }
        if (top == null) {
            throw new IllegalStateException(topic + " has no partition with a leader");
        }
        System.out.println("TOP_LEADER " + top.getKey() + " " + top.getValue());
    }

    private static void awaitLeaders(Admin admin, String topic, int minIsr, long timeoutMs, Optional<Integer> without)
            throws InterruptedException {
        long start = System.nanoTime();
        String last = "no answer";
        boolean watching = false;
        while (elapsedMs(start) < timeoutMs) {
            try {
                TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                        .get(2, TimeUnit.SECONDS).get(topic);
                List<String> waiting = new ArrayList<>();
                for (TopicPartitionInfo p : description.partitions()) {
                    boolean led = p.leader() != null && without.map(id -> id != p.leader().id()).orElse(true);
                    if (!led || p.isr().size() < minIsr) {
                        waiting.add(p.partition() + " (leader " + (p.leader() == null ? "none" : p.leader().id()) + ", isr " + ids(p.isr()) + ")");
                    }
                }
                if (waiting.isEmpty()) {
                    System.out.println(String.format(Locale.ROOT, "LEADERS every partition of %s led%s with >= %d in sync after %d ms at %d",
                            topic, without.map(id -> " by a broker other than " + id).orElse(""), minIsr, elapsedMs(start),
                            System.currentTimeMillis()));
                    return;
                }
                last = "waiting for partitions " + String.join(", ", waiting);
                if (!watching) {
                    // A caller that starts this before breaking something waits for this line.
                    System.out.println("WATCHING " + last);
                    System.out.flush();
                    watching = true;
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                last = String.valueOf(e.getMessage());
            }
            Thread.sleep(POLL_MS);
        }
        throw new IllegalStateException("partitions of " + topic + " not ready within " + timeoutMs + " ms: " + last);
    }

    private static TopicDescription describeTopic(Admin admin, String topic) throws InterruptedException {
        try {
            return admin.describeTopics(Set.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not describe " + topic + ": " + e.getMessage(), e);
        }
    }

    private static String minIsr(Admin admin, String topic) throws InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = admin.describeConfigs(Set.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
            return config.get("min.insync.replicas").value();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not read the configuration of " + topic + ": " + e.getMessage(), e);
        }
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(n -> Integer.toString(n.id())).collect(Collectors.joining(",", "[", "]"));
    }

    private static long seconds(String text) {
        return TimeUnit.SECONDS.toMillis(Long.parseLong(text));
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static void arity(String[] args, int expected) {
        if (args.length != expected) {
            usage(args[0] + " takes " + (expected - 1) + " arguments, got " + (args.length - 1));
        }
    }

    private static void usage(String problem) {
        System.err.println("ERROR: " + problem);
        System.err.println("usage: KafkaClusterMain await-brokers BOOTSTRAP COUNT TIMEOUT_S | create-topic BOOTSTRAP TOPIC PARTITIONS"
                + " REPLICATION MIN_ISR | describe BOOTSTRAP TOPIC | await-leaders BOOTSTRAP TOPIC MIN_ISR TIMEOUT_S [WITHOUT_BROKER]");
        System.exit(2);
    }
}
