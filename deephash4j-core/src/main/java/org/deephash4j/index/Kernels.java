package org.deephash4j.index;

/**
 * The hot loops of Hamming search: distances from one query to a run of contiguous codes, written
 * per code width (1, 2, 4 words, hoisting the query words) so that C2 vectorises the popcounts.
 * Shared by {@link FlatIndex} (database tiles) and {@link MultiIndexHashing} (buckets).
 */
final class Kernels {

    /** Codes whose distances a scan computes in one batch before it looks at them. */
    static final int CHUNK = 64;

    private Kernels() {
    }

    /**
     * Writes the distances of {@code count} codes to {@code out} and tells whether any is below
     * {@code bound}, OR-ing the signs of {@code distance - bound} so that the loop stays branch-free.
     */
    static boolean distancesBelow(long[] query, int qOff, int wpc, long[] db, int off, int count, int[] out, int bound) {
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
