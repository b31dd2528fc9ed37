package org.iotpipeline.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InFlightLimiterTest {

    @Test
    void admitsUpToTheLimitAndRefusesBeyond() {
        InFlightLimiter limiter = new InFlightLimiter(10);

        assertThat(limiter.tryAcquire(6)).isTrue();
        assertThat(limiter.tryAcquire(5)).as("6 + 5 > 10").isFalse();
        assertThat(limiter.tryAcquire(4)).isTrue();
        assertThat(limiter.inFlight()).isEqualTo(10);
        assertThat(limiter.tryAcquire(1)).isFalse();

        limiter.release(6);
        assertThat(limiter.inFlight()).isEqualTo(4);
        assertThat(limiter.tryAcquire(6)).isTrue();
    }

    @Test
    void releasingMoreThanAcquiredIsABug() {
        InFlightLimiter limiter = new InFlightLimiter(10);
        limiter.tryAcquire(1);

        assertThatThrownBy(() -> limiter.release(2)).isInstanceOf(IllegalStateException.class);
    }
}
