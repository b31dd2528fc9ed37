package org.iotpipeline.query.http;

import akka.http.javadsl.model.AttributeKey;
import akka.stream.KillSwitch;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.iotpipeline.query.execution.ClientConnection;

/**
 * One open client connection: where it comes from, how many requests it has in flight and since
 * when it is idle (for {@link Connections}), and what to do when it closes (cancel the queries it
 * sent). Attached to each of its requests as {@link #KEY}.
 */
public final class TrackedConnection implements ClientConnection {

    /** The request attribute that names the connection a request came on. */
    public static final AttributeKey<TrackedConnection> KEY = AttributeKey.create("query-server-connection",
            TrackedConnection.class);

    private final InetSocketAddress remote;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong idleSinceNanos;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
    private volatile KillSwitch killSwitch;

    TrackedConnection(InetSocketAddress remote, long nowNanos) {
        this.remote = java.util.Objects.requireNonNull(remote, "remote is null");
        this.idleSinceNanos = new AtomicLong(nowNanos);
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    void attach(KillSwitch killSwitch) {
        this.killSwitch = killSwitch;
    }

    void requestStarted() {
        inFlight.incrementAndGet();
    }

    void responseDone(long nowNanos) {
        if (inFlight.decrementAndGet() == 0) {
            idleSinceNanos.set(nowNanos);
        }
    }

    /** Whether the connection had no request in flight for at least {@code idleNanos}. */
    boolean idleLongerThan(long idleNanos, long nowNanos) {
        return inFlight.get() == 0 && nowNanos - idleSinceNanos.get() >= idleNanos;
    }

    /** Closes the connection (gracefully: bytes already written are sent). */
    void close() {
        KillSwitch current = killSwitch;
        if (current != null) {
            current.shutdown();
        }
    }

    /** The connection ended: runs every close action once. */
    void closed() {
        if (closed.compareAndSet(false, true)) {
            onClose.forEach(Runnable::run);
            onClose.clear();
        }
    }

    @Override
    public Registration onClose(Runnable action) {
        onClose.add(action);
        if (closed.get() && onClose.remove(action)) {
            action.run(); // closed while registering
        }
        return () -> onClose.remove(action);
    }
}
