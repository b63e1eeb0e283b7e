package org.deephash4j.codes;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Hamming kernel on the JDK's Vector API: XOR, a popcount per 64-bit lane and a lane-wise
 * minimum, which C2 compiles to the CPU's vector popcount (AVX-512 VPOPCNTDQ where present).
 * Loaded only when the {@code jdk.incubator.vector} module is in the boot layer; {@link Hamming}
 * selects it and falls back to its plain loops otherwise, so nothing else may reference this class
 * (and it uses nothing of {@code Hamming}, so the two do not depend on each other).
 *
 * <p>A code of {@code wpc} words spans {@code wpc} adjacent lanes; the query is repeated across the
 * vector, and for 2 and 4 words the lane popcounts are summed within each code by adding the vector
 * to itself with neighbouring lanes swapped, so that every lane of a code holds the code's distance.
 */
final class VectorHamming {

    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Swaps lanes 0-1, 2-3, ...: adds the other word of a 2-word code. */
    private static final VectorShuffle<Long> PAIRS = VectorShuffle.fromOp(SPECIES, i -> i ^ 1);
    /** Swaps lane pairs within groups of four: adds the other half of a 4-word code. */
    private static final VectorShuffle<Long> QUADS = VectorShuffle.fromOp(SPECIES, i -> i ^ 2);

    /** Lane i reads query word i % 2 (a gather that repeats a 2-word query across the vector). */
    private static final int[] REPEAT_2 = repeat(2);
    private static final int[] REPEAT_4 = repeat(4);

    private VectorHamming() {
    }

    private static int[] repeat(int wpc) {
        int[] map = new int[LANES];
        for (int i = 0; i < LANES; i++) {
            map[i] = i % wpc;
        }
        return map;
    }

    /** Whether codes of {@code wpc} words fit a whole number of times in one vector. */
    static boolean supports(int wpc) {
        return (wpc == 1 || wpc == 2 || wpc == 4) && wpc <= LANES;
    }

    /**
     * Smallest distance from the query to the {@code count} codes at {@code db[off..]}, or
     * {@link Integer#MAX_VALUE} for none. Requires {@link #supports}{@code (wpc)}.
     */
    static int minDistance(long[] query, int qOff, int wpc, long[] db, int off, int count) {
        assert supports(wpc) : "unsupported code width " + wpc;
        LongVector q = wpc == 1 ? LongVector.broadcast(SPECIES, query[qOff])
                : LongVector.fromArray(SPECIES, query, qOff, wpc == 2 ? REPEAT_2 : REPEAT_4, 0);
        int words = count * wpc;
        int vectorWords = words - words % LANES;
        LongVector min = LongVector.broadcast(SPECIES, Long.MAX_VALUE);
        int w = 0;
        switch (wpc) {
            case 1 -> {
                for (; w < vectorWords; w += LANES) {
                    LongVector d = LongVector.fromArray(SPECIES, db, off + w).lanewise(VectorOperators.XOR, q)
                            .lanewise(VectorOperators.BIT_COUNT);
                    min = min.min(d);
                }
            }
            case 2 -> {
                for (; w < vectorWords; w += LANES) {
                    LongVector p = LongVector.fromArray(SPECIES, db, off + w).lanewise(VectorOperators.XOR, q)
                            .lanewise(VectorOperators.BIT_COUNT);
                    min = min.min(p.add(p.rearrange(PAIRS)));
                }
            }
            default -> {
                for (; w < vectorWords; w += LANES) {
                    LongVector p = LongVector.fromArray(SPECIES, db, off + w).lanewise(VectorOperators.XOR, q)
                            .lanewise(VectorOperators.BIT_COUNT);
                    p = p.add(p.rearrange(PAIRS));
                    min = min.min(p.add(p.rearrange(QUADS)));
                }
            }
        }
        long best = min.reduceLanes(VectorOperators.MIN);
        for (int c = w / wpc; c < count; c++) {
            int d = 0;
            for (int j = 0; j < wpc; j++) {
                d += Long.bitCount(query[qOff + j] ^ db[off + c * wpc + j]);
            }
            best = Math.min(best, d);
        }
        return best == Long.MAX_VALUE ? Integer.MAX_VALUE : (int) best;
    }
}
