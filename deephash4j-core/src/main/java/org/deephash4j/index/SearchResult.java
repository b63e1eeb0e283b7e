package org.deephash4j.index;

/**
 * The k nearest neighbours of each query, row-major {@code queries x k}, ordered by (distance, id).
 * Where the index holds fewer than k codes, the row is padded with id -1 and distance -1 (as Faiss).
 */
public record SearchResult(int queries, int k, long[] ids, int[] distances) {

    public SearchResult {
        if (ids.length != (long) queries * k || distances.length != ids.length) {
            throw new IllegalArgumentException("result arrays must hold queries x k = " + (long) queries * k + " entries");
        }
    }

    /** Id of the {@code j}-th neighbour of query {@code q}, or -1. */
    public long id(int q, int j) {
        return ids[q * k + j];
    }

    /** Distance of the {@code j}-th neighbour of query {@code q}, or -1. */
    public int distance(int q, int j) {
        return distances[q * k + j];
    }

    /** Number of real neighbours of query {@code q}. */
    public int count(int q) {
        int c = 0;
        while (c < k && ids[q * k + c] != -1) {
            c++;
        }
        return c;
    }
}
