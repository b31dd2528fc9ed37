package org.iotpipeline.generator.fleet;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The measured value of every device and metric at every instant, as a pure function of the seed:
 * a sine wave whose baseline, amplitude and phase depend on (device, metric), plus Gaussian noise
 * drawn from a generator seeded by (seed, device, metric, timestamp).
 *
 * <p>Guarantee: {@code valueAt(d, m, t)} depends only on the constructor arguments and (d, m, t),
 * never on call order or thread, so the same configuration produces the same events in any run.
 * Values are multiples of {@code 1 / resolutionDivisor}; with a power-of-two divisor every value
 * and every sum of them is exact in binary floating point, so a sum is the same in any order.
 */
public final class ValueModel {

    private static final double TWO_PI = 2 * Math.PI;

    private final long seed;
    private final double periodMillis;
    private final double noiseStddev;
    private final int resolutionDivisor;

    /**
     * @param seed              root of all randomness
     * @param period            period of the sine waves, positive
     * @param noiseStddev       standard deviation of the noise, not negative
     * @param resolutionDivisor values are rounded to multiples of 1/resolutionDivisor, at least 1
     */
    public ValueModel(long seed, Duration period, double noiseStddev, int resolutionDivisor) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive, got " + period);
        }
        if (!(noiseStddev >= 0) || Double.isInfinite(noiseStddev)) {
            throw new IllegalArgumentException("noiseStddev must be finite and not negative, got " + noiseStddev);
        }
        if (resolutionDivisor < 1) {
            throw new IllegalArgumentException("resolutionDivisor must be at least 1, got " + resolutionDivisor);
        }
        this.seed = seed;
        this.periodMillis = period.toMillis();
        this.noiseStddev = noiseStddev;
        this.resolutionDivisor = resolutionDivisor;
    }

    /** The value of metric {@code metricId} of device {@code deviceId} at {@code timestamp} (epoch ms). */
    public double valueAt(int deviceId, int metricId, long timestamp) {
        // Per-series shape: fixed for the series, drawn from its own generator.
        SplittableRandom shape = new SplittableRandom(Mixing.mix(seed, deviceId, metricId, Long.MIN_VALUE));
        double baseline = 10 + shape.nextDouble() * 90;
        double amplitude = 1 + shape.nextDouble() * 9;
        double phase = shape.nextDouble() * TWO_PI;
        double angle = TWO_PI * Math.floorMod(timestamp, (long) periodMillis) / periodMillis + phase;
        double noise = noiseStddev == 0 ? 0
                : new SplittableRandom(Mixing.mix(seed, deviceId, metricId, timestamp)).nextGaussian() * noiseStddev;
        return Math.rint((baseline + amplitude * Math.sin(angle) + noise) * resolutionDivisor) / resolutionDivisor;
    }
}
