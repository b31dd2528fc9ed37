package org.iotpipeline.generator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

class ValueModelTest {

    private static final long T0 = 1_764_000_000_000L;
    private static final Duration PERIOD = Duration.ofMinutes(10);

    @Test
    void theSameCoordinatesGiveTheSameValueInAnyOrder() {
        ValueModel a = new ValueModel(42, Duration.ofHours(1), 0.5, 16);
        ValueModel b = new ValueModel(42, Duration.ofHours(1), 0.5, 16);
        List<Double> forward = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            forward.add(a.valueAt(i % 7, i % 3, T0 + i * 1000L));
        }
        List<Double> backward = new ArrayList<>();
        for (int i = 99; i >= 0; i--) {
            backward.add(0, b.valueAt(i % 7, i % 3, T0 + i * 1000L));
        }
        assertThat(forward).isEqualTo(backward);
    }

    @Test
    void anotherSeedGivesOtherValues() {
        ValueModel a = new ValueModel(1, Duration.ofHours(1), 0.5, 16);
        ValueModel b = new ValueModel(2, Duration.ofHours(1), 0.5, 16);
        long differing = 0;
        for (int i = 0; i < 100; i++) {
            if (a.valueAt(1, 1, T0 + i * 1000L) != b.valueAt(1, 1, T0 + i * 1000L)) {
                differing++;
            }
        }
        assertThat(differing).isGreaterThan(90);
    }

    @Test
    void valuesAreFiniteMultiplesOfTheResolutionWithinTheSineEnvelope() {
        ValueModel model = new ValueModel(42, Duration.ofMinutes(10), 0.5, 16);
        for (int i = 0; i < 10_000; i++) {
            double value = model.valueAt(i % 50, i % 4, T0 + i * 997L);
            assertThat(value).isFinite();
            assertThat(value * 16).isEqualTo(Math.rint(value * 16));
            // baseline 10..100, amplitude 1..10, noise 0.5 sigma: far outside is a bug.
            assertThat(value).isBetween(-5.0, 115.0);
        }
    }

    @Test
    void withoutNoiseEverySeriesIsOneSineOfTheConfiguredPeriod() {
        ValueModel model = new ValueModel(42, PERIOD, 0, 1024);

        for (int[] series : new int[][] {{3, 2}, {0, 0}, {17, 5}}) {
            assertIsOneSine(t -> model.valueAt(series[0], series[1], t), T0 + 12_345);
        }
    }

    @Test
    void theSineCheckAcceptsAHandMadeSineAndRecoversItsShape() {
        LongToDoubleFunction sine = t -> 50 + 5 * Math.sin(2 * Math.PI * (t - T0) / PERIOD.toMillis() + 0.3);

        Sine fitted = Sine.fit(sine, T0, PERIOD.toMillis());

        assertThat(fitted.baseline()).isCloseTo(50, within(1e-9));
        assertThat(fitted.amplitude()).isCloseTo(5, within(1e-9));
        assertThat(fitted.phase()).isCloseTo(0.3, within(1e-9));
        // Hand-checked: a quarter period after T0 the angle is pi/2 + 0.3, and 50 + 5 cos(0.3) = 54.7767...
        assertThat(fitted.at(T0 + PERIOD.toMillis() / 4)).isCloseTo(54.7767, within(1e-4));
        assertIsOneSine(sine, T0);
    }

    @Test
    void theSineCheckRejectsAConstantAShiftedSeriesAndAnotherPeriod() {
        ValueModel model = new ValueModel(42, PERIOD, 0, 1024);
        LongToDoubleFunction constant = t -> 50;
        LongToDoubleFunction shifted = t -> model.valueAt(3, 2, t) + 200;
        LongToDoubleFunction otherPeriod = t -> 50 + 5 * Math.sin(2 * Math.PI * t / (PERIOD.toMillis() * 1.1));
        LongToDoubleFunction notASine = t -> 50 + 5 * Math.signum(Math.sin(2 * Math.PI * t / PERIOD.toMillis() + 0.3));

        for (LongToDoubleFunction wrong : List.of(constant, shifted, otherPeriod, notASine)) {
            assertThatThrownBy(() -> assertIsOneSine(wrong, T0)).isInstanceOf(AssertionError.class);
        }
    }

    /**
     * Independent oracle: fits b + A sin(2 pi (t - from) / P + phi) to the series from three samples
     * (at from, a quarter and half a period later), then requires every sample over two periods, one
     * per second, to lie on that curve, with a baseline in 10..100 and an amplitude in 1..10 (the
     * model's ranges). A constant, a shifted series, another period or another wave shape fails.
     */
    private static void assertIsOneSine(LongToDoubleFunction series, long from) {
        long period = PERIOD.toMillis();
        Sine sine = Sine.fit(series, from, period);
        assertThat(sine.baseline()).as("baseline").isBetween(10.0, 100.0);
        assertThat(sine.amplitude()).as("amplitude").isBetween(1.0, 10.0);
        for (long t = from; t < from + 2 * period; t += 1000) {
            // Three rounded samples fix the curve; each sample is rounded to 1/1024: a few such steps apart at most.
            assertThat(series.applyAsDouble(t)).as("value at %d", t).isCloseTo(sine.at(t), within(5.0 / 1024));
        }
    }

    /** b + A sin(2 pi (t - from) / period + phase). */
    private record Sine(double baseline, double amplitude, double phase, long from, long period) {

        static Sine fit(LongToDoubleFunction series, long from, long period) {
            double atStart = series.applyAsDouble(from);
            double quarterLater = series.applyAsDouble(from + period / 4);
            double halfLater = series.applyAsDouble(from + period / 2);
            double baseline = (atStart + halfLater) / 2;
            double sinePart = atStart - baseline;      // A sin(phase)
            double cosinePart = quarterLater - baseline; // A sin(pi/2 + phase) = A cos(phase)
            return new Sine(baseline, Math.hypot(sinePart, cosinePart), Math.atan2(sinePart, cosinePart), from, period);
        }

        double at(long t) {
            return baseline + amplitude * Math.sin(2 * Math.PI * (t - from) / period + phase);
        }
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new ValueModel(1, Duration.ZERO, 0, 1)).hasMessageContaining("period");
        assertThatThrownBy(() -> new ValueModel(1, Duration.ofHours(1), -1, 1)).hasMessageContaining("noiseStddev");
        assertThatThrownBy(() -> new ValueModel(1, Duration.ofHours(1), 0, 0)).hasMessageContaining("resolutionDivisor");
    }
}
