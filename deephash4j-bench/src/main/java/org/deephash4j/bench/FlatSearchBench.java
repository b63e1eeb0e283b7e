package org.deephash4j.bench;

import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.index.FlatIndex;
import org.deephash4j.index.SearchResult;
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
 * k = 100 of 1M random 64-bit codes for 256 queries on all cores: the flat index (query blocks,
 * cache-sized tiles, threshold selection) against a per-query scan with a full distance histogram, as
 * the C reference does it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FlatSearchBench {

    static final int N = 1_000_000;
    static final int QUERIES = 256;
    static final int K = 100;

    long[] db;
    BinaryCodes queries;
    FlatIndex index;

    @Setup
    public void setup() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(2);
        db = new long[N];
        for (int i = 0; i < N; i++) {
            db[i] = r.nextLong();
        }
        long[] q = new long[QUERIES];
        for (int i = 0; i < QUERIES; i++) {
            q[i] = r.nextLong();
        }
        queries = BinaryCodes.of(64, q, null);
        index = new FlatIndex(64);
        index.add(BinaryCodes.of(64, db, null));
    }

    @Benchmark
    public SearchResult flatIndex() {
        return index.search(queries, K);
    }

    /** Per query: distances, a 65-bin histogram, the cut distance, then the k positions in id order. */
    @Benchmark
    public int[] perQueryHistogramScan() {
        int[] out = new int[QUERIES * K];
        long[] qw = queries.words();
        IntStream.range(0, QUERIES).parallel().forEach(qi -> {
            byte[] dist = new byte[N];
            long x = qw[qi];
            for (int i = 0; i < N; i++) {
                dist[i] = (byte) Long.bitCount(x ^ db[i]);
            }
            int[] hist = new int[65];
            for (int i = 0; i < N; i++) {
                hist[dist[i]]++;
            }
            int cut = 0;
            int below = 0;
            while (below + hist[cut] < K) {
                below += hist[cut++];
            }
            int[] pos = new int[66];
            int acc = 0;
            for (int v = 0; v < cut; v++) {
                pos[v] = acc;
                acc += hist[v];
            }
            pos[cut] = acc;
            int left = K - below;
            int base = qi * K;
            for (int i = 0; i < N; i++) {
                int v = dist[i];
                if (v < cut) {
                    out[base + pos[v]++] = i;
                } else if (v == cut && left > 0) {
                    out[base + pos[v]++] = i;
                    left--;
                }
            }
        });
        return out;
    }
}
