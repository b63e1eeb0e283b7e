package org.deephash4j.index;

import java.util.Arrays;

/**
 * Selects the k best (distance, position) pairs of one query without a heap: candidates go into a
 * buffer while their distance is within the current threshold; when the buffer is full, a counting
 * sort over the {@code bits + 1} distances keeps the k best and lowers the threshold. When candidates
 * arrive in ascending position (a scan), a candidate at the threshold distance can never beat the k
 * already kept, so the filter is strict and almost nothing enters once the threshold settles.
 */
final class TopK implements CandidateSink {

    private final int bits;
    private final boolean ascendingPositions;
    private int k;
    private int[] dist;
    private int[] pos;
    private int count;
    private int threshold;
    private final int[] histogram;
    private int[] scratchPos = new int[0];

    TopK(int bits, boolean ascendingPositions) {
        this.bits = bits;
        this.ascendingPositions = ascendingPositions;
        this.histogram = new int[bits + 2];
        this.dist = new int[0];
        this.pos = new int[0];
    }

    /** Starts a new query. */
    void reset(int newK) {
        k = newK;
        int capacity = Math.max(4 * newK, 512);
        if (dist.length < capacity) {
            dist = new int[capacity];
            pos = new int[capacity];
        }
        count = 0;
        threshold = bits + 1;
    }

    /**
     * Candidates must have a distance below this (a scan may filter on it before calling
     * {@link #offer}); {@code bits + 1} until k candidates are known.
     */
    @Override
    public int bound() {
        return ascendingPositions ? threshold : threshold + 1;
    }

    /** The distance of the k-th best candidate so far, or {@code Integer.MAX_VALUE} while fewer than k are known. */
    int kthDistance() {
        if (count < k) {
            return Integer.MAX_VALUE;
        }
        if (count > k || threshold > bits) {
            compact(k);
        }
        return threshold;
    }

    /** Offers a candidate; ignored unless it may be among the k best. */
    @Override
    public void offer(int d, int p) {
        assert d >= 0 && d <= bits : "distance " + d + " outside 0.." + bits;
        assert p >= 0 : "negative position " + p;
        if (d >= bound()) {
            return;
        }
        if (count == dist.length) {
            compact(k);
            if (d >= bound()) {
                return;
            }
        }
        dist[count] = d;
        pos[count] = p;
        count++;
    }

    /** Keeps the best {@code keep} candidates by (distance, position) and tightens the threshold. */
    private void compact(int keep) {
        Arrays.fill(histogram, 0);
        for (int i = 0; i < count; i++) {
            histogram[dist[i] + 1]++;
        }
        int cut = 0;
        int below = 0;
        while (cut <= bits && below + histogram[cut + 1] < keep) {
            below += histogram[cut + 1];
            cut++;
        }
        if (cut > bits) {
            return;
        }
        // Everything at distance < cut stays; at distance == cut, the smallest positions fill up to keep.
        int atCut = keep - below;
        int n = 0;
        int[] tiePos = scratch(histogram[cut + 1]);
        int ties = 0;
        for (int i = 0; i < count; i++) {
            if (dist[i] < cut) {
                dist[n] = dist[i];
                pos[n] = pos[i];
                n++;
            } else if (dist[i] == cut) {
                tiePos[ties++] = pos[i];
            }
        }
        if (!ascendingPositions) {
            Arrays.sort(tiePos, 0, ties);
        }
        for (int i = 0; i < atCut; i++) {
            dist[n] = cut;
            pos[n] = tiePos[i];
            n++;
        }
        count = n;
        if (n >= k) {
            threshold = cut;
        }
    }

    private int[] scratch(int size) {
        if (scratchPos.length < size) {
            scratchPos = new int[Math.max(size, 2 * scratchPos.length)];
        }
        return scratchPos;
    }

    /**
     * Writes the k best, sorted by (distance, position), into {@code outDist} / {@code outPos} from
     * {@code offset}; returns how many there are (at most k).
     */
    int finish(int[] outDist, int[] outPos, int offset) {
        compact(k);
        int n = count;
        Arrays.fill(histogram, 0);
        for (int i = 0; i < n; i++) {
            histogram[dist[i] + 1]++;
        }
        for (int d = 1; d < histogram.length; d++) {
            histogram[d] += histogram[d - 1];
        }
        int[] sortedPos = new int[n];
        for (int i = 0; i < n; i++) {
            sortedPos[histogram[dist[i]]++] = pos[i];
        }
        // histogram[d] is now the end of distance d's run; sort each run by position when needed.
        int start = 0;
        for (int d = 0; d <= bits; d++) {
            int end = histogram[d];
            if (!ascendingPositions && end - start > 1) {
                Arrays.sort(sortedPos, start, end);
            }
            for (int i = start; i < end; i++) {
                outDist[offset + i] = d;
                outPos[offset + i] = sortedPos[i];
            }
            start = end;
        }
        return n;
    }
}
