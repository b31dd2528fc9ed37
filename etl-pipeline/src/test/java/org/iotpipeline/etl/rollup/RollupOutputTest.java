package org.iotpipeline.etl.rollup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When a batch may skip its staging write: only if no window end lies between the two watermarks. */
class RollupOutputTest {

    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
    private static final long W = FIVE_MINUTES.toMillis();
    private static final long DAY = 20_000 * W; // some multiple of the window, as real window ends are

    @Test
    void aWatermarkThatStaysInsideOneWindowClosesNothing() {
        assertFalse(RollupOutput.mayCloseWindows(FIVE_MINUTES, DAY, DAY + W - 1));
        assertFalse(RollupOutput.mayCloseWindows(FIVE_MINUTES, DAY + 1, DAY + 2));
        assertFalse(RollupOutput.mayCloseWindows(FIVE_MINUTES, DAY, DAY), "the watermark did not move");
    }

    @Test
    void reachingAWindowsEndClosesIt() {
        // A window is final once its end is at or before the watermark: reaching the end exactly counts.
        assertTrue(RollupOutput.mayCloseWindows(FIVE_MINUTES, DAY - 1, DAY));
        assertTrue(RollupOutput.mayCloseWindows(FIVE_MINUTES, DAY + W - 1, DAY + W));
        assertTrue(RollupOutput.mayCloseWindows(FIVE_MINUTES, DAY, DAY + 3 * W), "several at once");
    }

    @Test
    void beforeTheEpochTheSameRuleHolds() {
        assertTrue(RollupOutput.mayCloseWindows(FIVE_MINUTES, -W - 1, -W));
        assertFalse(RollupOutput.mayCloseWindows(FIVE_MINUTES, -W, -1L));
    }

    @Test
    void withoutAPreviousWatermarkAnythingMayClose() {
        assertTrue(RollupOutput.mayCloseWindows(FIVE_MINUTES, null, DAY + 1));
    }
}
