package org.deephash4j.codes;

/** Hamming distance on packed code words: XOR and popcount, specialised for the common widths; the one home of these loops. */
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

    /** Distances from one query code to every code of {@code db}, written to {@code out[0..n)}. */
    public static void distances(long[] query, int qOff, long[] db, int n, int words, int[] out) {
        distancesBelow(query, qOff, words, db, 0, n, out, 0);
    }

    /**
     * Writes the distances of {@code count} codes to {@code out} and tells whether any is below
     * {@code bound}, OR-ing the signs of {@code distance - bound} so that the loop stays branch-free.
     * The search kernel of the flat scan and of multi-index hashing's buckets, written per code width
     * (1, 2, 4 words, hoisting the query words) so that C2 vectorises the popcounts.
     */
    public static boolean distancesBelow(long[] query, int qOff, int wpc, long[] db, int off, int count, int[] out, int bound) {
        assert qOff >= 0 && qOff + wpc <= query.length : "query words out of range";
        assert off >= 0 && off + (long) count * wpc <= db.length : "codes out of range";
        assert count <= out.length : "more codes than distances";
        int any = 0;
        switch (wpc) {
            case 1 -> {
                long a = query[qOff];
                for (int i = 0; i < count; i++) {
                    int d = Long.bitCount(db[off + i] ^ a);
                    out[i] = d;
                    any |= d - bound;
                }
            }
            case 2 -> {
                long a = query[qOff];
                long b = query[qOff + 1];
                for (int i = 0; i < count; i++) {
                    int p = off + 2 * i;
                    int d = Long.bitCount(db[p] ^ a) + Long.bitCount(db[p + 1] ^ b);
                    out[i] = d;
                    any |= d - bound;
                }
            }
            case 4 -> {
                long a = query[qOff];
                long b = query[qOff + 1];
                long c = query[qOff + 2];
                long e = query[qOff + 3];
                for (int i = 0; i < count; i++) {
                    int p = off + 4 * i;
                    int d = Long.bitCount(db[p] ^ a) + Long.bitCount(db[p + 1] ^ b) + Long.bitCount(db[p + 2] ^ c)
                            + Long.bitCount(db[p + 3] ^ e);
                    out[i] = d;
                    any |= d - bound;
                }
            }
            default -> {
                for (int i = 0; i < count; i++) {
                    int p = off + wpc * i;
                    int d = 0;
                    for (int w = 0; w < wpc; w++) {
                        d += Long.bitCount(db[p + w] ^ query[qOff + w]);
                    }
                    out[i] = d;
                    any |= d - bound;
                }
            }
        }
        return any < 0;
    }
}
