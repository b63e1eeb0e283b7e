package org.deephash4j.codes;

/**
 * Hamming distance on packed code words: XOR and popcount, specialised for the common widths; the one
 * home of these loops. Two kernels: the plain loops below, and {@link VectorHamming} on the JDK's Vector
 * API, chosen once at start-up: the vector kernel when the {@code jdk.incubator.vector} module is in the
 * boot layer (the launcher adds it) and the system property {@value #KERNEL_PROPERTY} is not
 * {@code plain}; the plain one otherwise, so a library user without the module flag still runs.
 */
public final class Hamming {

    /** System property choosing the kernel: {@code auto} (the default), {@code vector} or {@code plain}. */
    public static final String KERNEL_PROPERTY = "deephash.kernel";

    private static final boolean VECTOR = chooseVector(System.getProperty(KERNEL_PROPERTY, "auto"));

    private Hamming() {
    }

    private static boolean chooseVector(String choice) {
        boolean available = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        return switch (choice) {
            case "auto" -> available;
            case "plain" -> false;
            case "vector" -> {
                if (!available) {
                    throw new IllegalStateException(KERNEL_PROPERTY + "=vector needs the JVM option --add-modules jdk.incubator.vector");
                }
                yield true;
            }
            default -> throw new IllegalStateException(KERNEL_PROPERTY + " must be auto, vector or plain, not '" + choice + "'");
        };
    }

    /** The kernel in use: {@code "vector"} or {@code "plain"}. */
    public static String kernel() {
        return VECTOR ? "vector" : "plain";
    }

    /**
     * Whether {@link #minDistance} is cheap enough (vectorised for this width) to be worth a pass of
     * its own before a tile is scanned code by code.
     */
    public static boolean fastMinimum(int wpc) {
        return VECTOR && VectorHamming.supports(wpc);
    }

    /**
     * Smallest distance from the query to the {@code count} codes at {@code db[off..]}, or
     * {@link Integer#MAX_VALUE} for none: the fused popcount-and-compare pass that lets a scan skip a
     * tile none of whose codes can enter the results.
     */
    public static int minDistance(long[] query, int qOff, int wpc, long[] db, int off, int count) {
        assert off >= 0 && off + (long) count * wpc <= db.length : "codes out of range";
        if (fastMinimum(wpc)) {
            return VectorHamming.minDistance(query, qOff, wpc, db, off, count);
        }
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            min = Math.min(min, distance(query, qOff, db, off + i * wpc, wpc));
        }
        return min;
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
