package org.deephash4j.hash.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TargetCodesTest {

    static int distance(float[] codes, int bits, int a, int b) {
        int d = 0;
        for (int j = 0; j < bits; j++) {
            if (codes[a * bits + j] != codes[b * bits + j]) {
                d++;
            }
        }
        return d;
    }

    @ParameterizedTest
    @EnumSource(TargetCodes.Kind.class)
    void codesArePlusMinusOneSeededAndDistinct(TargetCodes.Kind kind) {
        float[] a = TargetCodes.generate(kind, 10, 64, 3);
        assertArrayEquals(a, TargetCodes.generate(kind, 10, 64, 3), "same seed, same codes");
        for (float v : a) {
            assertTrue(v == 1f || v == -1f);
        }
        for (int x = 0; x < 10; x++) {
            for (int y = x + 1; y < 10; y++) {
                assertTrue(distance(a, 64, x, y) > 0, kind + ": classes " + x + " and " + y + " share a code");
            }
        }
    }

    @Test
    void maxHdKeepsEveryPairAtLeastTheThresholdApart() {
        float[] c = TargetCodes.generate(TargetCodes.Kind.MAXHD, 10, 64, 1);
        int min = Integer.MAX_VALUE;
        for (int x = 0; x < 10; x++) {
            for (int y = x + 1; y < 10; y++) {
                min = Math.min(min, distance(c, 64, x, y));
            }
        }
        // the threshold came down from 0.61 to 0.50 before all 10 codes fitted: no pair is closer than 32 bits
        assertTrue(min >= 32, "min distance " + min);
        // Bernoulli codes of the same seed are typically closer in the worst pair
        float[] b = TargetCodes.generate(TargetCodes.Kind.BERNOULLI, 10, 64, 1);
        int minB = Integer.MAX_VALUE;
        for (int x = 0; x < 10; x++) {
            for (int y = x + 1; y < 10; y++) {
                minB = Math.min(minB, distance(b, 64, x, y));
            }
        }
        assertTrue(min >= minB, "MaxHD " + min + " vs Bernoulli " + minB);
    }

    @Test
    void maxHdLowersItsThresholdWhenTheSpaceIsCrowded() {
        // 40 classes in 16 bits cannot all be 0.61 * 16 = 10 bits apart: the threshold must come down.
        float[] c = TargetCodes.generate(TargetCodes.Kind.MAXHD, 40, 16, 2);
        assertEquals(40 * 16, c.length);
    }

    @Test
    void hadamardCodesAreOrthogonalOrOpposite() {
        float[] c = TargetCodes.generate(TargetCodes.Kind.HADAMARD, 20, 16, 4);
        for (int x = 0; x < 20; x++) {
            for (int y = x + 1; y < 20; y++) {
                int d = distance(c, 16, x, y);
                assertTrue(d == 8 || d == 16, "pair " + x + "," + y + " at distance " + d);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> TargetCodes.generate(TargetCodes.Kind.HADAMARD, 40, 16, 0));
        assertThrows(IllegalArgumentException.class, () -> TargetCodes.generate(TargetCodes.Kind.HADAMARD, 4, 24, 0));
    }
}
