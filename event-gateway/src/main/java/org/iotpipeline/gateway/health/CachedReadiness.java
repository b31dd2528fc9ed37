package org.iotpipeline.gateway.health;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reuses another check's answer for a short time, so frequent probes (load balancers, Kubernetes)
 * do not each cost a round trip to Kafka. Concurrent callers during a check share that check.
 */
public final class CachedReadiness implements ReadinessCheck {

    private final ReadinessCheck delegate;
    private final long ttlNanos;
    private final AtomicReference<Entry> latest = new AtomicReference<>();

    private record Entry(long startedNanos, CompletableFuture<Readiness> answer) {
    }

    public CachedReadiness(ReadinessCheck delegate, Duration ttl) {
        this.delegate = Objects.requireNonNull(delegate, "delegate is null");
        this.ttlNanos = Objects.requireNonNull(ttl, "ttl is null").toNanos();
    }

    @Override
    public CompletionStage<Readiness> check() {
        long now = System.nanoTime();
        Entry current = latest.get();
        if (current != null && (!current.answer().isDone() || now - current.startedNanos() < ttlNanos)) {
            return current.answer();
        }
        CompletableFuture<Readiness> answer = new CompletableFuture<>();
        Entry next = new Entry(now, answer);
        if (!latest.compareAndSet(current, next)) {
            return latest.get().answer();
        }
        CompletionStage<Readiness> checked;
        try {
            checked = delegate.check();
        } catch (RuntimeException e) {
            checked = CompletableFuture.failedFuture(e);
        }
        checked.whenComplete((readiness, failure) -> answer.complete(failure == null
                ? readiness : new Readiness(false, "readiness check failed: " + failure)));
        return answer;
    }
}
