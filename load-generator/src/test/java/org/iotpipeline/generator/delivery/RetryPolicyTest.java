package org.iotpipeline.generator.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(1), 0.2);

    @Test
    void backoffDoublesUpToTheCap() {
        assertThat(policy.backoff(1, Optional.empty(), 0.5)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoff(2, Optional.empty(), 0.5)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoff(3, Optional.empty(), 0.5)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.backoff(5, Optional.empty(), 0.5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(500, Optional.empty(), 0.5)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void jitterSpreadsTheWaitByTheConfiguredShare() {
        assertThat(policy.backoff(2, Optional.empty(), 0.0)).isEqualTo(Duration.ofMillis(160));
        assertThat(policy.backoff(2, Optional.empty(), 0.999_999)).isEqualTo(Duration.ofMillis(240));
    }

    @Test
    void aLongerRetryAfterWins() {
        assertThat(policy.backoff(1, Optional.of(Duration.ofSeconds(3)), 0.5)).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.backoff(3, Optional.of(Duration.ZERO), 0.5)).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void attemptsStopAtTheLimit() {
        assertThat(policy.allowsAnotherAttempt(3)).isTrue();
        assertThat(policy.allowsAnotherAttempt(4)).isFalse();
        assertThat(new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 0).allowsAnotherAttempt(1)).isFalse();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 0)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1), 0)).hasMessageContaining("backoffs");
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.5)).hasMessageContaining("jitter");
    }

    @Test
    void overloadStatusesAreRetriedOtherClientErrorsAreNot() {
        assertThat(EventSender.isRetryable(503)).isTrue();
        assertThat(EventSender.isRetryable(500)).isTrue();
        assertThat(EventSender.isRetryable(429)).isTrue();
        assertThat(EventSender.isRetryable(408)).isTrue();
        assertThat(EventSender.isRetryable(400)).isFalse();
        assertThat(EventSender.isRetryable(413)).isFalse();
        assertThat(EventSender.isRetryable(415)).isFalse();
    }
}
