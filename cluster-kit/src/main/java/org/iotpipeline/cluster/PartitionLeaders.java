package org.iotpipeline.cluster;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/** Who leads the topic's partitions: a description for the drills, and a wait for new leaders. */
record PartitionLeaders(Admin admin, String topic) {

    PartitionLeaders {
        requireNonNull(admin, "admin");
        requireNonNull(topic, "topic");
    }

    /** Prints each partition, {@code MIN_ISR n}, then {@code TOP_LEADER id count} (the drill's victim). */
    void describe() throws InterruptedException {
        TopicDescription description = TopicSetup.describe(admin, topic);
        for (TopicPartitionInfo p : description.partitions()) {
            System.out.println(String.format(Locale.ROOT, "PARTITION %d leader %s replicas %s isr %s", p.partition(),
                    p.leader() == null ? "none" : Integer.toString(p.leader().id()), ids(p.replicas()), ids(p.isr())));
        }
        System.out.println("MIN_ISR " + TopicSetup.minIsr(admin, topic));
        Map.Entry<Integer, Integer> top = topLeader(description.partitions())
                .orElseThrow(() -> new IllegalStateException(topic + " has no partition with a leader"));
        System.out.println("TOP_LEADER " + top.getKey() + " " + top.getValue());
    }

    /** The broker leading the most partitions and how many; on a tie the lowest id. */
    static Optional<Map.Entry<Integer, Integer>> topLeader(List<TopicPartitionInfo> partitions) {
        Map<Integer, Integer> leads = new TreeMap<>();
        for (TopicPartitionInfo p : partitions) {
            if (p.leader() != null) {
                leads.merge(p.leader().id(), 1, Integer::sum);
            }
        }
        Map.Entry<Integer, Integer> top = null;
        // Sorted by id, and only a strictly larger count replaces: the lowest id wins a tie.
        for (Map.Entry<Integer, Integer> entry : leads.entrySet()) {
            if (top == null || entry.getValue() > top.getValue()) {
                top = entry;
            }
        }
        return Optional.ofNullable(top);
    }

    /**
     * Waits until every partition has a leader (other than {@code without}, if given) and at least
     * {@code minIsr} in-sync replicas. Prints {@code WATCHING ...} after a first look that found them
     * not ready (a drill starts this before killing a leader and waits for that line), and at the end
     * {@code LEADERS ... at <epoch ms>}: the moment it first saw every partition ready.
     */
    void await(int minIsr, long timeoutMs, Optional<Integer> without) throws InterruptedException {
        requireNonNull(without, "without");
        long start = System.nanoTime();
        String last = "no answer";
        boolean watching = false;
        while (Waits.elapsedMs(start) < timeoutMs) {
            try {
                TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                        .get(2, TimeUnit.SECONDS).get(topic);
                List<String> waiting = notReady(description.partitions(), minIsr, without);
                if (waiting.isEmpty()) {
                    System.out.println(String.format(Locale.ROOT, "LEADERS every partition of %s led%s with >= %d in sync after %d ms at %d",
                            topic, without.map(id -> " by a broker other than " + id).orElse(""), minIsr, Waits.elapsedMs(start),
                            System.currentTimeMillis()));
                    return;
                }
                last = "waiting for partitions " + String.join(", ", waiting);
                if (!watching) {
                    System.out.println("WATCHING " + last);
                    System.out.flush();
                    watching = true;
                }
            } catch (ExecutionException | TimeoutException e) {
                // A broker just died or the metadata is moving: look again until the deadline.
                last = String.valueOf(e.getMessage());
            }
            Thread.sleep(Waits.POLL_MS);
        }
        throw new IllegalStateException("partitions of " + topic + " not ready within " + timeoutMs + " ms: " + last);
    }

    /** The partitions without a leader (or led by {@code without}) or with too few in sync, described. */
    static List<String> notReady(List<TopicPartitionInfo> partitions, int minIsr, Optional<Integer> without) {
        List<String> waiting = new ArrayList<>();
        for (TopicPartitionInfo p : partitions) {
            boolean led = p.leader() != null && without.map(id -> id != p.leader().id()).orElse(true);
            if (!led || p.isr().size() < minIsr) {
                waiting.add(p.partition() + " (leader " + (p.leader() == null ? "none" : p.leader().id()) + ", isr " + ids(p.isr()) + ")");
            }
        }
        return waiting;
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(n -> Integer.toString(n.id())).collect(Collectors.joining(",", "[", "]"));
    }
}
