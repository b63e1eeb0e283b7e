package org.deephash4j.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scanning 1M 64-bit codes with one query: which way of computing Hamming distances and finding the
 * few codes below a threshold is fastest on JDK 25. The flat index uses {@link #fusedChunks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class HammingKernelBench {

    static final int N = 1 << 20;
    static final int BOUND = 20;
    static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;

    long[] codes;
    long query;
    int[] dist;
    long[] distLong;

    @Setup
    public void setup() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        codes = new long[N];
        for (int i = 0; i < N; i++) {
            codes[i] = r.nextLong();
        }
        query = r.nextLong();
        dist = new int[N];
        distLong = new long[N];
    }

    /** Distances only: the plain loop C2 auto-vectorises. */
    @Benchmark
    public int[] distancesPlainLoop() {
        long q = query;
        for (int i = 0; i < N; i++) {
            dist[i] = Long.bitCount(codes[i] ^ q);
        }
        return dist;
    }

    /** Distances only, with the Vector API's lanewise BIT_COUNT. */
    @Benchmark
    public long[] distancesVectorApi() {
        LongVector q = LongVector.broadcast(SPECIES, query);
        int i = 0;
        for (; i < SPECIES.loopBound(N); i += SPECIES.length()) {
            LongVector.fromArray(SPECIES, codes, i).lanewise(VectorOperators.XOR, q).lanewise(VectorOperators.BIT_COUNT)
                    .intoArray(distLong, i);
        }
        for (; i < N; i++) {
            distLong[i] = Long.bitCount(codes[i] ^ query);
        }
        return distLong;
    }

    /** Distances, then a scalar pass for the codes below the bound. */
    @Benchmark
    public int twoPasses() {
        long q = query;
        for (int i = 0; i < N; i++) {
            dist[i] = Long.bitCount(codes[i] ^ q);
        }
        int hits = 0;
        for (int i = 0; i < N; i++) {
            if (dist[i] < BOUND) {
                hits += i;
            }
        }
        return hits;
    }

    /** The flat index's kernel: distances per 64-code chunk with a branch-free any-below test. */
    @Benchmark
    public int fusedChunks() {
        int hits = 0;
        for (int c = 0; c < N; c += 64) {
            if (chunkBelow(codes, c, 64, query, dist, BOUND)) {
                for (int i = 0; i < 64; i++) {
                    if (dist[i] < BOUND) {
                        hits += c + i;
                    }
                }
            }
        }
        return hits;
    }

    /** The loop shape of the index's kernel (org.deephash4j.codes.Hamming.distancesBelow, one word per code). */
    private static boolean chunkBelow(long[] db, int off, int count, long a, int[] out, int bound) {
        int any = 0;
        for (int i = 0; i < count; i++) {
            int d = Long.bitCount(db[off + i] ^ a);
            out[i] = d;
            any |= d - bound;
        }
        return any < 0;
    }

    /** Vector API: popcount and compare per vector, looking at a vector only when a lane is below the bound. */
    @Benchmark
    public int vectorApiCompare() {
        LongVector q = LongVector.broadcast(SPECIES, query);
        int hits = 0;
        for (int i = 0; i < SPECIES.loopBound(N); i += SPECIES.length()) {
            LongVector d = LongVector.fromArray(SPECIES, codes, i).lanewise(VectorOperators.XOR, q)
                    .lanewise(VectorOperators.BIT_COUNT);
            if (d.compare(VectorOperators.LT, BOUND).anyTrue()) {
                for (int j = 0; j < SPECIES.length(); j++) {
                    if (d.lane(j) < BOUND) {
                        hits += i + j;
                    }
                }
            }
        }
        return hits;
    }
}
