package org.deephash4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeededRandomTest {

    @Test
    void sequenceIsSplitMix64() {
        // Reference values of SplitMix64 for seed 0 (Vigna's reference implementation).
        SeededRandom r = new SeededRandom(0);
        assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
        assertEquals(0x06C45D188009454FL, r.nextLong());
    }

    @Test
    void boundedAndGaussianValuesHaveTheRightDistribution() {
        SeededRandom r = new SeededRandom(7);
        int[] counts = new int[5];
        double sum = 0;
        double sq = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            counts[r.nextInt(5)]++;
            double g = r.nextGaussian();
            sum += g;
            sq += g * g;
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - n / 5) < 1000, "bucket count " + c);
        }
        assertEquals(0.0, sum / n, 0.01);
        assertEquals(1.0, sq / n, 0.02);
    }
}
