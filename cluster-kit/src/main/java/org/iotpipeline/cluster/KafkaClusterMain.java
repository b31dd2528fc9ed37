package org.iotpipeline.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Command line of the Kafka steps of {@code scripts/cluster}: parses the arguments and hands them to
 * {@link BrokerWait}, {@link TopicSetup} or {@link PartitionLeaders} (each polls every 100 ms, with
 * a deadline).
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
            run(admin, args);
        } catch (NumberFormatException e) {
            usage("not a number: " + e.getMessage());
        } catch (IllegalStateException e) {
            System.err.println("ERROR: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("ERROR: interrupted");
            System.exit(1);
        }
    }

    private static void run(Admin admin, String[] args) throws InterruptedException {
        switch (args[0]) {
            case "await-brokers" -> {
                arity(args, 4);
                new BrokerWait(admin).await(Integer.parseInt(args[2]), seconds(args[3]));
            }
            case "create-topic" -> {
                arity(args, 6);
                new TopicSetup(admin).create(args[2], Integer.parseInt(args[3]), Short.parseShort(args[4]), Integer.parseInt(args[5]));
            }
            case "describe" -> {
                arity(args, 3);
                new PartitionLeaders(admin, args[2]).describe();
            }
            case "await-leaders" -> {
                if (args.length != 5 && args.length != 6) {
                    usage("await-leaders takes BOOTSTRAP TOPIC MIN_ISR TIMEOUT_S [WITHOUT_BROKER]");
                }
                Optional<Integer> without = args.length == 6 ? Optional.of(Integer.parseInt(args[5])) : Optional.empty();
                new PartitionLeaders(admin, args[2]).await(Integer.parseInt(args[3]), seconds(args[4]), without);
            }
            default -> usage("unknown command " + args[0]);
        }
    }

    private static long seconds(String text) {
        return TimeUnit.SECONDS.toMillis(Long.parseLong(text));
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
