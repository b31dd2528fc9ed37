package org.iotpipeline.cluster;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;

/** Waits until the cluster reports a number of brokers (they formed the quorum and registered). */
record BrokerWait(Admin admin) {

    BrokerWait {
        requireNonNull(admin, "admin");
    }

    /** Prints {@code BROKERS n after t ms}; throws IllegalStateException at the deadline. */
    void await(int count, long timeoutMs) throws InterruptedException {
        long start = System.nanoTime();
        String last = "no answer";
        while (Waits.elapsedMs(start) < timeoutMs) {
            try {
                Collection<Node> nodes = admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                if (nodes.size() >= count) {
                    System.out.println(String.format(Locale.ROOT, "BROKERS %d after %d ms", nodes.size(), Waits.elapsedMs(start)));
                    return;
                }
                last = nodes.size() + " broker(s)";
            } catch (ExecutionException | TimeoutException e) {
                // Brokers still starting: remember why, report it if the deadline passes.
                last = String.valueOf(e.getMessage());
            }
            Thread.sleep(Waits.POLL_MS);
        }
        throw new IllegalStateException("the cluster did not have " + count + " brokers within " + timeoutMs + " ms (last: " + last + ")");
    }
}
