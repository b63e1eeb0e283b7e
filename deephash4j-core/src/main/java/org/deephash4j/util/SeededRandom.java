package org.deephash4j.util;

/**
 * A small, fully specified pseudo-random generator (SplitMix64) whose sequence for a seed never
 * changes across JDK versions or platforms, so seeded splits and projections are reproducible
 * forever. Not for cryptography; not thread-safe.
 */
public final class SeededRandom {

    private long state;
    private double spareGaussian = Double.NaN;

    public SeededRandom(long seed) {
        this.state = seed;
    }

    /** The generator's complete state, to continue its sequence later with {@link #restore}. */
    public long[] saveState() {
        return new long[] {state, Double.doubleToRawLongBits(spareGaussian)};
    }

    /** A generator continuing exactly where the one that gave {@code saved} stood. */
    public static SeededRandom restore(long[] saved) {
        SeededRandom r = new SeededRandom(saved[0]);
        r.spareGaussian = Double.longBitsToDouble(saved[1]);
        return r;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniform integer in {@code [0, bound)}, without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = (1L << 32) - ((1L << 32) % bound);
        while (true) {
            long r = nextLong() >>> 32;
            if (r < limit) {
                return (int) (r % bound);
            }
        }
    }

    /** A uniform double in {@code [0, 1)}. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** A standard normal value (Marsaglia's polar method). */
    public double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * m;
        return u * m;
    }

    /** Shuffles the first {@code k} positions of {@code a} into a uniform random sample of its elements. */
    public void partialShuffle(int[] a, int k) {
        for (int i = 0; i < k; i++) {
            int j = i + nextInt(a.length - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
