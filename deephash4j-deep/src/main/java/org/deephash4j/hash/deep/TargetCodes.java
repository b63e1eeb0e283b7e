package org.deephash4j.hash.deep;

import org.deephash4j.util.SeededRandom;

/**
 * The fixed binary target code of every class in OrthoHash, as a {@code classes x
 * bits} matrix of -1 / +1, generated from a seed:
 * <ul>
 *   <li>{@link Kind#BERNOULLI} (the default): every bit +1 or -1 with probability 1/2;</li>
 *   <li>{@link Kind#MAXHD}: greedy rejection sampling of Bernoulli codes, accepting a candidate only if
 *       its normalised Hamming distance to every accepted code is at least a threshold that starts at
 *       0.61 and drops by 0.01 after 10,000 consecutive rejections (failing below 0.2); the codes are
 *       then shuffled across classes, as in the reference code;</li>
 *   <li>{@link Kind#HADAMARD}: rows of a Sylvester Hadamard matrix and their negations (CSQ), for a
 *       power-of-two code length with 2 bits at least the number of classes: every pair of codes is
 *       at distance bits/2 (or bits, for a row and its negation).</li>
 * </ul>
 */
public final class TargetCodes {

    /** How the codes are generated. */
    public enum Kind {
        BERNOULLI, MAXHD, HADAMARD
    }

    static final double MAXHD_START = 0.61;
    static final double MAXHD_STEP = 0.01;
    static final int MAXHD_PATIENCE = 10_000;
    static final double MAXHD_FLOOR = 0.2;

    private TargetCodes() {
    }

    /** Row-major {@code classes x bits} codes of -1 / +1. */
    public static float[] generate(Kind kind, int classes, int bits, long seed) {
        if (classes <= 0 || bits <= 0) {
            throw new IllegalArgumentException("need positive classes and bits, got " + classes + " and " + bits);
        }
        return switch (kind) {
            case BERNOULLI -> bernoulli(classes, bits, new SeededRandom(seed));
            case MAXHD -> maxHd(classes, bits, new SeededRandom(seed));
            case HADAMARD -> hadamard(classes, bits, new SeededRandom(seed));
        };
    }

    private static float[] bernoulli(int classes, int bits, SeededRandom r) {
        float[] c = new float[classes * bits];
        for (int i = 0; i < c.length; i++) {
            c[i] = r.nextDouble() < 0.5 ? -1f : 1f;
        }
        return c;
    }

    private static float[] maxHd(int classes, int bits, SeededRandom r) {
        float[] accepted = new float[classes * bits];
        int count = 0;
        double threshold = MAXHD_START;
        int rejections = 0;
        float[] candidate = new float[bits];
        while (count < classes) {
            for (int j = 0; j < bits; j++) {
                candidate[j] = r.nextDouble() < 0.5 ? -1f : 1f;
            }
            boolean ok = true;
            for (int c = 0; c < count && ok; c++) {
                int d = 0;
                for (int j = 0; j < bits; j++) {
                    if (accepted[c * bits + j] != candidate[j]) {
                        d++;
                    }
                }
                ok = (double) d / bits >= threshold;
            }
            if (ok) {
                System.arraycopy(candidate, 0, accepted, count * bits, bits);
                count++;
                rejections = 0;
            } else if (++rejections >= MAXHD_PATIENCE) {
                threshold -= MAXHD_STEP;
                rejections = 0;
                if (threshold < MAXHD_FLOOR) {
                    throw new IllegalStateException("MaxHD target codes: cannot place " + classes + " classes in " + bits
                            + " bits at normalised distance " + MAXHD_FLOOR);
                }
            }
        }
        int[] order = new int[classes];
        for (int i = 0; i < classes; i++) {
            order[i] = i;
        }
        r.partialShuffle(order, classes);
        float[] out = new float[classes * bits];
        for (int c = 0; c < classes; c++) {
            System.arraycopy(accepted, order[c] * bits, out, c * bits, bits);
        }
        return out;
    }

    private static float[] hadamard(int classes, int bits, SeededRandom r) {
        if (Integer.bitCount(bits) != 1) {
            throw new IllegalArgumentException("Hadamard target codes need a power-of-two code length, got " + bits);
        }
        if (2 * bits < classes) {
            throw new IllegalArgumentException("Hadamard target codes give 2 x bits = " + 2 * bits + " codes, fewer than "
                    + classes + " classes: use bernoulli or maxhd");
        }
        // Sylvester: H[i][j] = (-1)^popcount(i & j); rows then their negations, classes drawn in seeded order.
        int[] rows = new int[2 * bits];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        r.partialShuffle(rows, classes);
        float[] out = new float[classes * bits];
        for (int c = 0; c < classes; c++) {
            int row = rows[c] % bits;
            float sign = rows[c] < bits ? 1f : -1f;
            for (int j = 0; j < bits; j++) {
                out[c * bits + j] = sign * ((Integer.bitCount(row & j) & 1) == 0 ? 1f : -1f);
            }
        }
        return out;
    }
}
