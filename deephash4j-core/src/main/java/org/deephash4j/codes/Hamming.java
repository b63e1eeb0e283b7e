package org.deephash4j.codes;

/** Hamming distance on packed code words: XOR and popcount, specialised for the common widths. */
public final class Hamming {

    private Hamming() {
    }

    /** Distance between the {@code words}-word codes starting at {@code a[aOff]} and {@code b[bOff]}. */
    public static int distance(long[] a, int aOff, long[] b, int bOff, int words) {
        switch (words) {
            case 1:
                return Long.bitCount(a[aOff] ^ b[bOff]);
            case 2:
                return Long.bitCount(a[aOff] ^ b[bOff]) + Long.bitCount(a[aOff + 1] ^ b[bOff + 1]);
            default:
                int d = 0;
                for (int w = 0; w < words; w++) {
                    d += Long.bitCount(a[aOff + w] ^ b[bOff + w]);
                }
                return d;
        }
    }

    /**
     * Distances from one query code to every code of {@code db}, written to {@code out[0..n)}.
     * The loops per width are written so that C2 vectorises them.
     */
    public static void distances(long[] query, int qOff, long[] db, int n, int words, int[] out) {
        switch (words) {
            case 1 -> {
                long q = query[qOff];
                for (int i = 0; i < n; i++) {
                    out[i] = Long.bitCount(db[i] ^ q);
                }
            }
            case 2 -> {
                long q0 = query[qOff];
                long q1 = query[qOff + 1];
                for (int i = 0; i < n; i++) {
                    out[i] = Long.bitCount(db[2 * i] ^ q0) + Long.bitCount(db[2 * i + 1] ^ q1);
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = distance(query, qOff, db, i * words, words);
                }
            }
        }
    }
}
