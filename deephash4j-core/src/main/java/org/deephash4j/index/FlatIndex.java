package org.deephash4j.index;

import java.util.stream.IntStream;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.Hamming;

/**
 * Exact search by linear scan. Queries are processed in blocks against tiles of the database small
 * enough to stay in the L1 cache, so the database streams from memory once per block rather than
 * once per query; blocks run in parallel. Per query and tile, with the vector kernel, one fused
 * popcount-and-minimum pass ({@link Hamming#minDistance}) first tells whether any code of the tile
 * can still enter the query's results, and most tiles stop there once the k-th distance settles.
 * A tile that passes is scanned by a popcount loop that fills a distance buffer, and a {@link TopK}
 * threshold filter admits only candidates that can still be among the k best: no heap, no full sort. Codes are kept
 * in ascending id order, so scan order is the (distance, id) tie order.
 */
public final class FlatIndex extends StoredCodesIndex {

    static final int TILE = 1024;
    static final int QUERY_BLOCK = 16;

    /** An empty index for {@code bits}-bit codes. */
    public FlatIndex(int bits) {
        super(bits, null, null);
    }

    FlatIndex(int bits, CodeStore codes, IdStore ids) {
        super(bits, codes, ids);
    }

    @Override
    public IndexType type() {
        return IndexType.FLAT;
    }

    @Override
    public SearchResult search(BinaryCodes queries, int k) {
        return searchInBlocks(queries, k, QUERY_BLOCK, this::scanBlock);
    }

    private void scanBlock(BinaryCodes queries, int q0, int q1, int k, int[] outDist, int[] outPos) {
        int n = ids.size();
        boolean skipTiles = Hamming.fastMinimum(wpc);
        TopK[] tops = new TopK[q1 - q0];
        for (int q = q0; q < q1; q++) {
            tops[q - q0] = new TopK(bits, true);
            tops[q - q0].reset(k);
        }
        long[] scratch = new long[TILE * wpc];
        int[] dist = new int[CHUNK];
        long[] qw = queries.words();
        for (int start = 0; start < n; start += TILE) {
            int count = Math.min(TILE, n - start);
            long[] tile = codes.tile(start, count, scratch);
            int off = codes.tileOffset(start);
            for (int q = q0; q < q1; q++) {
                TopK top = tops[q - q0];
                if (skipTiles && Hamming.minDistance(qw, q * wpc, wpc, tile, off, count) >= top.bound()) {
                    continue;
                }
                scanTile(qw, q * wpc, tile, off, count, start, dist, top);
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
            if (Hamming.distancesBelow(qw, qOff, wpc, tile, off + c * wpc, len, dist, bound)) {
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
        checkRadius(radius);
        int nq = queries.size();
        int n = ids.size();
        int[][] hitPos = new int[nq][];
        int[][] hitDist = new int[nq][];
        int blocks = (nq + QUERY_BLOCK - 1) / QUERY_BLOCK;
        boolean skipTiles = Hamming.fastMinimum(wpc);
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int q0 = b * QUERY_BLOCK;
            int q1 = Math.min(nq, q0 + QUERY_BLOCK);
            long[] scratch = new long[TILE * wpc];
            int[] dist = new int[CHUNK];
            RangeCollector[] cols = new RangeCollector[q1 - q0];
            for (int q = q0; q < q1; q++) {
                cols[q - q0] = new RangeCollector(bits);
            }
            for (int start = 0; start < n; start += TILE) {
                int count = Math.min(TILE, n - start);
                long[] tile = codes.tile(start, count, scratch);
                int off = codes.tileOffset(start);
                for (int q = q0; q < q1; q++) {
                    if (skipTiles && Hamming.minDistance(queries.words(), q * wpc, wpc, tile, off, count) > radius) {
                        continue;
                    }
                    RangeCollector c = cols[q - q0];
                    for (int ch = 0; ch < count; ch += CHUNK) {
                        int len = Math.min(CHUNK, count - ch);
                        if (Hamming.distancesBelow(queries.words(), q * wpc, wpc, tile, off + ch * wpc, len, dist, radius + 1)) {
                            for (int i = 0; i < len; i++) {
                                if (dist[i] <= radius) {
                                    c.add(dist[i], start + ch + i);
                                }
                            }
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

    @Override
    public String toString() {
        return "FlatIndex[" + size() + " x " + bits + " bits]";
    }
}
