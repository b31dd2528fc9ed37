package org.iotpipeline.generator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueModelTest {

    private static final long T0 = 1_764_000_000_000L;

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
    void withoutNoiseTheSeriesFollowsItsSine() {
        ValueModel model = new ValueModel(42, Duration.ofMinutes(10), 0, 1024);
        // A sine over one period averages to its baseline: the mean of a full period equals the
        // mean of samples half a period apart.
        double[] samples = new double[600];
        for (int s = 0; s < 600; s++) {
            samples[s] = model.valueAt(3, 2, T0 + s * 1000L);
        }
        for (int s = 0; s < 300; s++) {
            double mean = (samples[s] + samples[s + 300]) / 2;
            assertThat(mean).isCloseTo(samples[0] / 2 + samples[300] / 2, org.assertj.core.data.Offset.offset(0.01));
        }
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new ValueModel(1, Duration.ZERO, 0, 1)).hasMessageContaining("period");
        assertThatThrownBy(() -> new ValueModel(1, Duration.ofHours(1), -1, 1)).hasMessageContaining("noiseStddev");
        assertThatThrownBy(() -> new ValueModel(1, Duration.ofHours(1), 0, 0)).hasMessageContaining("resolutionDivisor");
    }
}
