package org.iotpipeline.generator.fleet;

import java.time.Instant;

/**
 * Backfill mode: event time starts in the past and runs faster than real time.
 *
 * @param start        event time of the first tick, not in the future
 * @param speed        simulated time per unit of wall time, positive; {@code Double.POSITIVE_INFINITY}
 *                     = as fast as the gateway acknowledges
 * @param continueLive whether to carry on at live pace once simulated time reaches the present
 *                     (otherwise the run ends there)
 */
public record Backfill(Instant start, double speed, boolean continueLive) {

    public Backfill {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be positive or \"max\", got " + speed);
        }
    }
}
