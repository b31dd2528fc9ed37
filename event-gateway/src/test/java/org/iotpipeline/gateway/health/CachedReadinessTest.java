package org.iotpipeline.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachedReadinessTest {

    private final AtomicInteger checks = new AtomicInteger();

    private ReadinessCheck counting(boolean ready) {
        return () -> CompletableFuture.completedFuture(new ReadinessCheck.Readiness(ready, "check " + checks.incrementAndGet()));
    }

    @Test
    void reusesAnAnswerWithinTheTtl() throws Exception {
        CachedReadiness cached = new CachedReadiness(counting(true), Duration.ofMinutes(1));

        cached.check().toCompletableFuture().get(1, TimeUnit.SECONDS);
        ReadinessCheck.Readiness second = cached.check().toCompletableFuture().get(1, TimeUnit.SECONDS);

        assertThat(second.detail()).isEqualTo("check 1");
        assertThat(checks).hasValue(1);
    }

    @Test
    void checksAgainAfterTheTtl() throws Exception {
        CachedReadiness cached = new CachedReadiness(counting(true), Duration.ZERO);

        cached.check().toCompletableFuture().get(1, TimeUnit.SECONDS);
        cached.check().toCompletableFuture().get(1, TimeUnit.SECONDS);

        assertThat(checks).hasValue(2);
    }

    @Test
    void aFailingCheckMeansNotReady() throws Exception {
        CachedReadiness cached = new CachedReadiness(
                () -> CompletableFuture.failedFuture(new IllegalStateException("boom")), Duration.ZERO);

        ReadinessCheck.Readiness readiness = cached.check().toCompletableFuture().get(1, TimeUnit.SECONDS);

        assertThat(readiness.ready()).isFalse();
        assertThat(readiness.detail()).contains("boom");
    }
}
