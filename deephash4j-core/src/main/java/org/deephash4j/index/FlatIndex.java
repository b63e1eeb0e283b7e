package org.deephash4j.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.deephash4j.codes.BinaryCodes;

/**
 * Exact search by linear scan. Queries are processed in blocks against tiles of the database small
 * enough to stay in the L1 cache, so the database streams from memory once per block rather than
 * once per query; blocks run in parallel. Per query and tile, a popcount loop (written per code
 * width so that C2 vectorises it) fills a distance buffer, and a {@link TopK} threshold filter
 * admits only candidates that can still be among the k best: no heap, no full sort. Codes are kept
 * in ascending id order, so scan order is the (distance, id) tie order.
 */
public final class FlatIndex implements HammingIndex {

    static final int TILE = 1024;
    static final int QUERY_BLOCK = 16;
    static final int CHUNK = 64;

    private final int bits;
    private final int wpc;
    private CodeStore codes;
    private IdStore ids;

    /** An empty index for {@code bits}-bit codes. */
    public FlatIndex(int bits) {
        BinaryCodes.checkBits(bits);
        this.bits = bits;
        this.wpc = (bits + 63) >>> 6;
        this.codes = new CodeStore.Heap(new long[0], wpc);
        this.ids = IdStore.of(new long[0]);
    }

    FlatIndex(int bits, CodeStore codes, IdStore ids) {
        this(bits);
        this.codes = codes;
        this.ids = ids;
    }

    @Override
    public int bits() {
        return bits;
    }

    @Override
    public int size() {
        return ids.size();
    }

    @Override
    public String type() {
        return "flat";
    }

    CodeStore codeStore() {
        return codes;
    }

    IdStore idStore() {
        return ids;
    }

    @Override
    public void add(BinaryCodes added) {
        Merged m = Merged.of(bits, codes, ids, added);
        codes = new CodeStore.Heap(m.words(), wpc);
        ids = IdStore.of(m.ids());
    }

    @Override
    public int remove(long[] remove) {
        Merged m = Merged.without(codes, ids, remove);
        if (m == null) {
            return 0;
        }
        int removed = ids.size() - m.ids().length;
        codes = new CodeStore.Heap(m.words(), wpc);
        ids = IdStore.of(m.ids());
        return removed;
    }

    @Override
    public SearchResult search(BinaryCodes queries, int k) {
        checkQueries(queries);
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        int nq = queries.size();
        int n = ids.size();
        int kk = Math.min(k, n);
        int[] outDist = new int[nq * k];
        int[] outPos = new int[nq * k];
        int blocks = (nq + QUERY_BLOCK - 1) / QUERY_BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int q0 = b * QUERY_BLOCK;
            int q1 = Math.min(nq, q0 + QUERY_BLOCK);
            scanBlock(queries, q0, q1, kk, k, outDist, outPos);
        });
        long[] outIds = new long[nq * k];
        for (int q = 0; q < nq; q++) {
            for (int j = 0; j < k; j++) {
                int i = q * k + j;
                if (j < kk) {
                    outIds[i] = ids.id(outPos[i]);
                } else {
                    outIds[i] = -1;
                    outDist[i] = -1;
                }
            }
        }
        return new SearchResult(nq, k, outIds, outDist);
    }

    private void scanBlock(BinaryCodes queries, int q0, int q1, int kk, int k, int[] outDist, int[] outPos) {
        int n = ids.size();
        TopK[] tops = new TopK[q1 - q0];
        for (int q = q0; q < q1; q++) {
            tops[q - q0] = new TopK(bits, true);
            tops[q - q0].reset(kk);
        }
        long[] scratch = new long[TILE * wpc];
        int[] dist = new int[CHUNK];
        long[] qw = queries.words();
        for (int start = 0; start < n; start += TILE) {
            int count = Math.min(TILE, n - start);
            long[] tile = codes.tile(start, count, scratch);
            int off = codes.tileOffset(start);
            for (int q = q0; q < q1; q++) {
                scanTile(qw, q * wpc, tile, off, count, start, dist, tops[q - q0]);
            }
        }
        for (int q = q0; q < q1; q++) {
            tops[q - q0].finish(outDist, outPos, q * k);
        }
    }

    /**
     * One query against one tile: distances in chunks of {@value #CHUNK}, and a chunk is looked at
     * code by code only if one of its distances is below the query's current bound (rare once the
     * bound settles). Kept small so that C2 compiles and vectorises it as a unit.
     */
    private void scanTile(long[] qw, int qOff, long[] tile, int off, int count, int start, int[] dist, TopK top) {
        for (int c = 0; c < count; c += CHUNK) {
            int len = Math.min(CHUNK, count - c);
            int bound = top.bound();
            if (Kernels.distancesBelow(qw, qOff, wpc, tile, off + c * wpc, len, dist, bound)) {
                for (int i = 0; i < len; i++) {
                    if (dist[i] < bound) {
                        top.offer(dist[i], start + c + i);
                        bound = top.bound();
                    }
                }
            }
        }
    }

    @Override
    public RangeResult rangeSearch(BinaryCodes queries, int radius) {
        checkQueries(queries);
        if (radius < 0) {
            throw new IllegalArgumentException("radius must not be negative, got " + radius);
        }
        int nq = queries.size();
        int n = ids.size();
        int[][] hitPos = new int[nq][];
        int[][] hitDist = new int[nq][];
        int blocks = (nq + QUERY_BLOCK - 1) / QUERY_BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int q0 = b * QUERY_BLOCK;
            int q1 = Math.min(nq, q0 + QUERY_BLOCK);
            long[] scratch = new long[TILE * wpc];
            int[] dist = new int[TILE];
            RangeCollector[] cols = new RangeCollector[q1 - q0];
            for (int q = q0; q < q1; q++) {
                cols[q - q0] = new RangeCollector(bits);
            }
            for (int start = 0; start < n; start += TILE) {
                int count = Math.min(TILE, n - start);
                long[] tile = codes.tile(start, count, scratch);
                int off = codes.tileOffset(start);
                for (int q = q0; q < q1; q++) {
                    Kernels.distances(queries.words(), q * wpc, wpc, tile, off, count, dist);
                    RangeCollector c = cols[q - q0];
                    for (int i = 0; i < count; i++) {
                        if (dist[i] <= radius) {
                            c.add(dist[i], start + i);
                        }
                    }
                }
            }
            for (int q = q0; q < q1; q++) {
                cols[q - q0].sortedInto(q, hitDist, hitPos, true);
            }
        });
        return RangeCollector.assemble(radius, hitDist, hitPos, ids);
    }

    private void checkQueries(BinaryCodes queries) {
        if (queries.bits() != bits) {
            throw new IllegalArgumentException("queries have " + queries.bits() + " bits, the index " + bits);
        }
    }

    @Override
    public void save(Path file) throws IOException {
        IndexFile.save(file, this);
    }

    @Override
    public long heapBytes() {
        return codes.heapBytes() + ids.heapBytes();
    }

    @Override
    public String toString() {
        return "FlatIndex[" + size() + " x " + bits + " bits]";
    }

    /** The index's codes and ids merged or filtered; shared with {@link MultiIndexHashing}. */
    record Merged(long[] words, long[] ids) {

        static Merged of(int bits, CodeStore codes, IdStore ids, BinaryCodes added) {
            if (added.bits() != bits) {
                throw new IllegalArgumentException("codes have " + added.bits() + " bits, the index " + bits);
            }
            int wpc = codes.wordsPerCode;
            int m = added.size();
            int[] order = new int[m];
            boolean sorted = true;
            for (int i = 0; i < m; i++) {
                order[i] = i;
                sorted &= i == 0 || added.id(i) > added.id(i - 1);
            }
            if (!sorted) {
                it.unimi.dsi.fastutil.ints.IntArrays.quickSort(order, (a, b) -> Long.compare(added.id(a), added.id(b)));
            }
            for (int i = 1; i < m; i++) {
                if (added.id(order[i]) == added.id(order[i - 1])) {
                    throw new IllegalArgumentException("id " + added.id(order[i]) + " is repeated in the added codes");
                }
            }
            for (int i = 0; i < m && ids.size() > 0; i++) {
                if (ids.positionOf(added.id(i)) >= 0) {
                    throw new IllegalArgumentException("id " + added.id(i) + " is already in the index");
                }
            }
            int n = ids.size();
            long[] w = new long[(n + m) * wpc];
            long[] id = new long[n + m];
            long[] aw = added.words();
            int i = 0;
            int j = 0;
            int o = 0;
            while (i < n || j < m) {
                boolean takeOld = j >= m || (i < n && ids.id(i) < added.id(order[j]));
                if (takeOld) {
                    for (int x = 0; x < wpc; x++) {
                        w[o * wpc + x] = codes.word(i, x);
                    }
                    id[o++] = ids.id(i++);
                } else {
                    int src = order[j++];
                    System.arraycopy(aw, src * wpc, w, o * wpc, wpc);
                    id[o++] = added.id(src);
                }
            }
            return new Merged(w, id);
        }

        /** The store without {@code remove}; {@code null} if none of them is present. */
        static Merged without(CodeStore codes, IdStore ids, long[] remove) {
            int n = ids.size();
            boolean[] drop = new boolean[n];
            int dropped = 0;
            for (long r : remove) {
                int p = ids.positionOf(r);
                if (p >= 0 && !drop[p]) {
                    drop[p] = true;
                    dropped++;
                }
            }
            if (dropped == 0) {
                return null;
            }
            int wpc = codes.wordsPerCode;
            long[] w = new long[(n - dropped) * wpc];
            long[] id = new long[n - dropped];
            int o = 0;
            for (int i = 0; i < n; i++) {
                if (!drop[i]) {
                    for (int x = 0; x < wpc; x++) {
                        w[o * wpc + x] = codes.word(i, x);
                    }
                    id[o++] = ids.id(i);
                }
            }
            return new Merged(w, id);
        }
    }
}
