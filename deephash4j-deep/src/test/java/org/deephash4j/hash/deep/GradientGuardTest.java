package org.deephash4j.hash.deep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Which steps the gradient guard lets through. */
class GradientGuardTest {

    @Test
    void nonFiniteNormsAreRejectedFromTheFirstStep() {
        GradientGuard g = new GradientGuard();
        assertEquals(GradientGuard.Verdict.NON_FINITE, g.check(Double.NaN));
        assertEquals(GradientGuard.Verdict.NON_FINITE, g.check(Double.POSITIVE_INFINITY));
        assertEquals(GradientGuard.Verdict.APPLY, g.check(1e30));
    }

    @Test
    void afterTheWarmUpANormFarAboveTheRecentMedianIsASpike() {
        GradientGuard g = new GradientGuard();
        for (int i = 0; i < GradientGuard.WARM_UP - 1; i++) {
            assertEquals(GradientGuard.Verdict.APPLY, g.check(1 + i % 3));
        }
        assertEquals(GradientGuard.Verdict.APPLY, g.check(1e6), "still in the warm-up");
        assertEquals(2, g.median(), 0, "median of 1, 2, 3, ... and 1e6");
        assertEquals(GradientGuard.Verdict.APPLY, g.check(1999), "not above 1000 x 2");
        assertEquals(GradientGuard.Verdict.SPIKE, g.check(2001));
        assertEquals(2, g.median(), 0, "a spike is not remembered");
    }

    @Test
    void theMedianFollowsTheLastWindowOfAcceptedNorms() {
        GradientGuard g = new GradientGuard();
        for (int i = 0; i < GradientGuard.WINDOW; i++) {
            g.check(100);
        }
        for (int i = 0; i < GradientGuard.WINDOW / 2 + 1; i++) {
            g.check(1);
        }
        // the norms fell a hundredfold: the median follows once most of the window is new
        assertEquals(1, g.median(), 0);
        assertEquals(GradientGuard.Verdict.SPIKE, g.check(1001));
        assertEquals(GradientGuard.Verdict.APPLY, g.check(999));
    }
}
