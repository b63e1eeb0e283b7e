package org.deephash4j.index;

import java.util.Arrays;

/** Collects (distance, position) hits of one query and orders them by (distance, position). */
final class RangeCollector {

    private final int bits;
    private int[] dist = new int[16];
    private int[] pos = new int[16];
    private int count;

    RangeCollector(int bits) {
        this.bits = bits;
    }

    void add(int d, int p) {
        assert d >= 0 && d <= bits : "distance " + d + " outside 0.." + bits;
        if (count == dist.length) {
            dist = Arrays.copyOf(dist, 2 * count);
            pos = Arrays.copyOf(pos, 2 * count);
        }
        dist[count] = d;
        pos[count] = p;
        count++;
    }

    /** Stores the sorted hits of query {@code q}; sorts positions within a distance unless they came in order. */
    void sortedInto(int q, int[][] outDist, int[][] outPos, boolean ascendingPositions) {
        int[] start = new int[bits + 2];
        for (int i = 0; i < count; i++) {
            start[dist[i] + 1]++;
        }
        for (int d = 1; d < start.length; d++) {
            start[d] += start[d - 1];
        }
        int[] sd = new int[count];
        int[] sp = new int[count];
        int[] next = Arrays.copyOf(start, start.length);
        for (int i = 0; i < count; i++) {
            int slot = next[dist[i]]++;
            sd[slot] = dist[i];
            sp[slot] = pos[i];
        }
        if (!ascendingPositions) {
            for (int d = 0; d <= bits; d++) {
                Arrays.sort(sp, start[d], start[d + 1]);
            }
        }
        outDist[q] = sd;
        outPos[q] = sp;
    }

    /** Faiss-style range result from per-query sorted hits. */
    static RangeResult assemble(int radius, int[][] hitDist, int[][] hitPos, IdStore ids) {
        int nq = hitDist.length;
        long[] lims = new long[nq + 1];
        for (int q = 0; q < nq; q++) {
            lims[q + 1] = lims[q] + hitDist[q].length;
        }
        if (lims[nq] > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("range search found " + lims[nq] + " hits: too many for one result");
        }
        long[] outIds = new long[(int) lims[nq]];
        int[] outDist = new int[outIds.length];
        for (int q = 0; q < nq; q++) {
            int base = (int) lims[q];
            for (int j = 0; j < hitDist[q].length; j++) {
                outIds[base + j] = ids.id(hitPos[q][j]);
                outDist[base + j] = hitDist[q][j];
            }
        }
        return new RangeResult(radius, lims, outIds, outDist);
    }
}
