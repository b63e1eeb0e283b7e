package org.deephash4j.spark;

import java.io.Serializable;
import org.deephash4j.codes.Hamming;

/**
 * One query's best candidates from part of the database, ordered by (distance, key), with their
 * relevance for evaluation. Partial lists from different partitions {@link #merge} into the exact
 * overall list, because the order is total: the k best of a union are among the k best of each part.
 */
public record Candidates(int[] distances, long[] keys, boolean[] relevant) implements Serializable {

    public int size() {
        return keys.length;
    }

    /**
     * The {@code k} best codes of {@code chunk} for the query at {@code query[qOff..]} (relevance taken
     * from {@code queryLabels[lOff..]} when not null): a histogram of distances gives the threshold, then
     * one pass in key order collects them already sorted by (distance, key).
     */
    static Candidates best(CodeChunk chunk, long[] query, int qOff, long[] queryLabels, int lOff, int k, int[] scratch) {
        int n = chunk.size();
        int wpc = org.deephash4j.codes.BinaryCodes.wordsFor(chunk.bits());
        Hamming.distances(query, qOff, chunk.words(), n, wpc, scratch);
        int bits = chunk.bits();
        int[] count = new int[bits + 2];
        for (int i = 0; i < n; i++) {
            count[scratch[i]]++;
        }
        int take = Math.min(k, n);
        int threshold = 0;
        int below = 0;
        while (below + count[threshold] < take) {
            below += count[threshold++];
        }
        int atThreshold = take - below;
        int[] start = new int[threshold + 2];
        for (int d = 1; d <= threshold + 1; d++) {
            start[d] = start[d - 1] + (d - 1 < threshold ? count[d - 1] : atThreshold);
        }
        int[] dist = new int[take];
        long[] keys = new long[take];
        boolean[] rel = queryLabels == null ? null : new boolean[take];
        int[] next = java.util.Arrays.copyOf(start, threshold + 1);
        int tiesLeft = atThreshold;
        for (int i = 0; i < n; i++) {
            int d = scratch[i];
            if (d > threshold || (d == threshold && tiesLeft == 0)) {
                continue;
            }
            if (d == threshold) {
                tiesLeft--;
            }
            int slot = next[d]++;
            dist[slot] = d;
            keys[slot] = chunk.keys()[i];
            if (rel != null) {
                rel[slot] = chunk.relevant(i, queryLabels, lOff);
            }
        }
        return new Candidates(dist, keys, rel);
    }

    /** The {@code k} best of two ordered lists, ordered. */
    static Candidates merge(Candidates a, Candidates b, int k) {
        int take = Math.min(k, a.size() + b.size());
        int[] dist = new int[take];
        long[] keys = new long[take];
        boolean[] rel = a.relevant == null ? null : new boolean[take];
        int i = 0;
        int j = 0;
        for (int o = 0; o < take; o++) {
            boolean fromA = j >= b.size() || (i < a.size() && (a.distances[i] < b.distances[j]
                    || (a.distances[i] == b.distances[j] && a.keys[i] < b.keys[j])));
            Candidates src = fromA ? a : b;
            int p = fromA ? i++ : j++;
            dist[o] = src.distances[p];
            keys[o] = src.keys[p];
            if (rel != null) {
                rel[o] = src.relevant[p];
            }
        }
        return new Candidates(dist, keys, rel);
    }
}
