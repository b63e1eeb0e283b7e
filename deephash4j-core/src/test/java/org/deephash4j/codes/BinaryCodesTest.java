package org.deephash4j.codes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BinaryCodesTest {

    @Test
    void signRuleMakesZeroAndPositiveOne() {
        BinaryCodes c = BinaryCodes.fromSigns(new float[] {0f, -0f, -1e-9f, 2f, -3f, 1f, 0.5f, -0.5f}, 8, null);
        boolean[] expected = {true, true, false, true, false, true, true, false};
        for (int j = 0; j < 8; j++) {
            assertEquals(expected[j], c.bit(0, j), "bit " + j);
        }
    }

    @Test
    void nanIsRefusedWithItsPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BinaryCodes.fromSigns(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, Float.NaN, 1, 1, 1, 1}, 8, null));
        assertTrue(e.getMessage().contains("code 1, bit 3"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 12, 1032, -8})
    void invalidLengthsAreRefused(int bits) {
        assertThrows(IllegalArgumentException.class, () -> new BinaryCodes.Builder(bits, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 24, 64, 72, 128, 200, 256, 1024})
    void hammingDistanceMatchesBitByBitCount(int bits) {
        Random r = new Random(bits);
        int n = 20;
        float[] v = new float[n * bits];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        BinaryCodes c = BinaryCodes.fromSigns(v, bits, null);
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                int naive = 0;
                for (int j = 0; j < bits; j++) {
                    if ((v[a * bits + j] >= 0) != (v[b * bits + j] >= 0)) {
                        naive++;
                    }
                }
                assertEquals(naive, c.distance(a, c, b));
            }
        }
        int[] out = new int[n];
        Hamming.distances(c.words(), 3 * c.wordsPerCode(), c.words(), n, c.wordsPerCode(), out);
        for (int b = 0; b < n; b++) {
            assertEquals(c.distance(3, c, b), out[b]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 24, 64, 136})
    void packedBytesRoundTripInBothOrders(int bits) {
        Random r = new Random(1);
        byte[] packed = new byte[7 * bits / 8];
        r.nextBytes(packed);
        for (BitOrder order : BitOrder.values()) {
            BinaryCodes c = BinaryCodes.fromPackedBytes(packed, bits, order, null);
            assertArrayEquals(packed, c.toPackedBytes(order));
        }
    }

    @Test
    void bigBitOrderPutsBitZeroInTheHighBitOfByteZero() {
        BinaryCodes c = BinaryCodes.fromPackedBytes(new byte[] {(byte) 0x80, 0x01}, 16, BitOrder.BIG, null);
        assertTrue(c.bit(0, 0));
        assertTrue(c.bit(0, 15));
        assertFalse(c.bit(0, 1));
        BinaryCodes little = BinaryCodes.fromPackedBytes(new byte[] {0x01, (byte) 0x80}, 16, BitOrder.LITTLE, null);
        assertEquals(c, little);
    }

    @Test
    void paddingBitsMustBeZero() {
        assertThrows(IllegalArgumentException.class, () -> BinaryCodes.of(8, new long[] {0x100L}, null));
        assertEquals(1, BinaryCodes.of(8, new long[] {0x80L}, null).size());
    }

    @Test
    void subsetKeepsIdsAndCodes() {
        BinaryCodes c = BinaryCodes.fromSigns(new float[] {1, -1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1, -1}, 8,
                new long[] {10, 20});
        BinaryCodes s = c.subset(new int[] {1, 0});
        assertArrayEquals(new long[] {20, 10}, s.ids());
        assertEquals(0, s.distance(1, c, 0));
        assertEquals(7, c.distance(0, c, 1));
    }

    @Test
    void bitImbalanceIsZeroForBalancedAndOneForConstantBits() {
        BinaryCodes balanced = BinaryCodes.fromSigns(new float[] {1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1, -1}, 8, null);
        assertEquals(0.0, balanced.bitImbalance(), 1e-12);
        BinaryCodes constant = BinaryCodes.fromSigns(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 8, null);
        assertEquals(1.0, constant.bitImbalance(), 1e-12);
    }

    @Test
    void hexIsThePackedBigEndianBytesAndReadsBack() {
        java.util.Random r = new java.util.Random(6);
        long[] w = r.longs(2 * 5).toArray();
        BinaryCodes c = BinaryCodes.of(128, w, null);
        byte[] packed = c.toPackedBytes(BitOrder.BIG);
        for (int i = 0; i < 5; i++) {
            assertEquals(java.util.HexFormat.of().formatHex(packed, 16 * i, 16 * i + 16), c.hex(i));
            BinaryCodes back = BinaryCodes.fromHex(c.hex(i), 128, 40 + i);
            assertEquals(0, back.distance(0, c, i));
            assertEquals(40 + i, back.id(0));
        }
        assertEquals("80", BinaryCodes.fromHex("80", 8, 0).hex(0));
        assertEquals(true, BinaryCodes.fromHex("80", 8, 0).bit(0, 0), "code bit 0 is the high bit of the first byte");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BinaryCodes.fromHex("00ff", 64, 0)).getMessage()
                .contains("16 hex digits, got 4"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BinaryCodes.fromHex("zz00000000000000", 64, 0)).getMessage()
                .contains("hex digits"));
    }
}
