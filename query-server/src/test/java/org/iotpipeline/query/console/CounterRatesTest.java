package org.iotpipeline.query.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class CounterRatesTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final CounterRates rates = new CounterRates();

    @Test
    void theRateIsTheChangeOverTheTimeBetweenTwoReadings() {
        assertThat(rates.update("a", T0, OptionalDouble.of(100))).isEmpty();
        assertThat(rates.update("a", T0.plusMillis(2500), OptionalDouble.of(150))).hasValue(20.0);
        assertThat(rates.update("a", T0.plusMillis(3500), OptionalDouble.of(150))).hasValue(0.0);
    }

    @Test
    void aCounterThatWentDownRestartedAndHasNoRateUntilTheNextReading() {
        rates.update("a", T0, OptionalDouble.of(100));
        assertThat(rates.update("a", T0.plusSeconds(1), OptionalDouble.of(3))).isEmpty();
        assertThat(rates.update("a", T0.plusSeconds(2), OptionalDouble.of(13))).hasValue(10.0);
    }

    @Test
    void aMissingOrForgottenCounterStartsOver() {
        rates.update("gateway.a", T0, OptionalDouble.of(1));
        rates.update("etl.b", T0, OptionalDouble.of(1));
        assertThat(rates.update("gateway.a", T0.plusSeconds(1), OptionalDouble.empty())).isEmpty();
        assertThat(rates.update("gateway.a", T0.plusSeconds(2), OptionalDouble.of(5))).isEmpty();

        rates.forget("etl.");
        assertThat(rates.update("etl.b", T0.plusSeconds(3), OptionalDouble.of(7))).isEmpty();
        assertThat(rates.update("gateway.a", T0.plusSeconds(3), OptionalDouble.of(6))).hasValue(1.0);
    }

    @Test
    void twoReadingsAtTheSameInstantGiveNoRateAndKeepTheEarlierOne() {
        rates.update("a", T0, OptionalDouble.of(10));
        assertThat(rates.update("a", T0, OptionalDouble.of(20))).isEmpty();
        assertThat(rates.update("a", T0.plusSeconds(1), OptionalDouble.of(30))).hasValue(20.0);
    }

    @Test
    void keysAreSeparate() {
        rates.update("a", T0, OptionalDouble.of(0));
        rates.update("b", T0, OptionalDouble.of(0));
        assertThat(rates.update("a", T0.plusSeconds(2), OptionalDouble.of(10))).hasValue(5.0);
        assertThat(rates.update("b", T0.plusSeconds(2), OptionalDouble.of(100))).hasValue(50.0);
    }
}
