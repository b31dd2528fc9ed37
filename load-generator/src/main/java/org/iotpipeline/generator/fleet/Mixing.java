package org.iotpipeline.generator.fleet;

/**
 * Turns a tuple of numbers into one well-spread 64-bit seed (the SplitMix64 finalizer applied
 * step by step), so nearby tuples such as consecutive timestamps get unrelated random streams.
 */
public final class Mixing {

    private Mixing() {
    }

    /** A seed derived from the root seed and the coordinates of one value. */
    public static long mix(long seed, int deviceId, int metricId, long timestamp) {
        long h = avalanche(seed ^ 0x9E3779B97F4A7C15L);
        h = avalanche(h ^ deviceId);
        h = avalanche(h ^ ((long) metricId << 32));
        return avalanche(h ^ timestamp);
    }

    /** A uniform double in [0, 1) derived from the same coordinates plus a purpose tag. */
    public static double uniform(long seed, long purpose, int deviceId, int metricId, long timestamp) {
        return (mix(seed ^ avalanche(purpose), deviceId, metricId, timestamp) >>> 11) * 0x1.0p-53;
    }

    private static long avalanche(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
