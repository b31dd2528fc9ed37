package org.iotpipeline.query.http;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The open client connections: at most {@link HttpLimits#maxConnections()} of them, and each closed
 * once it had no request in flight for {@link HttpLimits#idleTimeout()} (akka-http's own idle
 * timeout must stay above the longest query, so it cannot tell an idle keep-alive connection from
 * one waiting for a slow answer).
 */
final class Connections implements AutoCloseable {

    private final HttpLimits limits;
    private final LongSupplier nanoTime;
    private final Set<TrackedConnection> open = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> sweeper;

    Connections(HttpLimits limits, ScheduledExecutorService timer, LongSupplier nanoTime) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits is null");
        this.nanoTime = java.util.Objects.requireNonNull(nanoTime, "nanoTime is null");
        long period = Math.max(50, limits.idleTimeout().toMillis() / 4);
        this.sweeper = timer.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /** Registers a new connection, or empty when {@code maxConnections} are open. */
    synchronized Optional<TrackedConnection> open(InetSocketAddress remote) {
        if (open.size() >= limits.maxConnections()) {
            return Optional.empty();
        }
        TrackedConnection connection = new TrackedConnection(remote, nanoTime.getAsLong());
        open.add(connection);
        return Optional.of(connection);
    }

    void closed(TrackedConnection connection) {
        open.remove(connection);
        connection.closed();
    }

    long now() {
        return nanoTime.getAsLong();
    }

    int size() {
        return open.size();
    }

    Duration idleTimeout() {
        return limits.idleTimeout();
    }

    int maxConnections() {
        return limits.maxConnections();
    }

    private void closeIdle() {
        long now = nanoTime.getAsLong();
        long idle = limits.idleTimeout().toNanos();
        for (TrackedConnection connection : open) {
            if (connection.idleLongerThan(idle, now)) {
                connection.close();
            }
        }
    }

    @Override
    public void close() {
        sweeper.cancel(false);
    }
}
