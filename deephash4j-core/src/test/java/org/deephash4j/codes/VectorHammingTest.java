package org.deephash4j.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VectorHammingTest {

    /** The build runs the core tests with the incubator module, so the vector kernel is what they exercise. */
    @Test
    void theTestsRunTheVectorKernel() {
        assertEquals("vector", Hamming.kernel());
        assertTrue(Hamming.fastMinimum(1) && Hamming.fastMinimum(2) && Hamming.fastMinimum(4));
        assertTrue(!Hamming.fastMinimum(3), "3-word codes do not tile a vector");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void minimumEqualsTheScalarMinimumAtEveryLengthAndOffset(int wpc) {
        Random rnd = new Random(17 + wpc);
        long[] db = new long[64 * wpc + 13];
        for (int i = 0; i < db.length; i++) {
            db[i] = rnd.nextLong();
        }
        long[] query = {rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong()};
        for (int qOff = 0; qOff + wpc <= query.length; qOff++) {
            for (int off = 0; off < 3 * wpc; off += wpc) {
                for (int count = 0; off + (count + 1) * wpc <= db.length && count < 60; count++) {
                    int expected = Integer.MAX_VALUE;
                    for (int c = 0; c < count; c++) {
                        expected = Math.min(expected, Hamming.distance(query, qOff, db, off + c * wpc, wpc));
                    }
                    assertEquals(expected, VectorHamming.minDistance(query, qOff, wpc, db, off, count),
                            "wpc " + wpc + ", query at " + qOff + ", codes at " + off + ", count " + count);
                    assertEquals(expected, Hamming.minDistance(query, qOff, wpc, db, off, count));
                }
            }
        }
    }

    @Test
    void aCodeEqualToTheQueryIsFoundWhereverItSits() {
        long[] db = new long[4 * 40];
        java.util.Arrays.fill(db, -1L);
        long[] query = {0, 0, 0, 0};
        for (int at = 0; at < 40; at++) {
            long[] copy = db.clone();
            System.arraycopy(query, 0, copy, at * 4, 4);
            assertEquals(0, VectorHamming.minDistance(query, 0, 4, copy, 0, 40), "code " + at);
            assertEquals(256, VectorHamming.minDistance(query, 0, 4, db, 0, 40));
        }
    }
}
