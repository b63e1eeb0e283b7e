package org.deephash4j.index;

/**
 * The k nearest neighbours of each query, row-major {@code queries x k}, ordered by (distance, id).
 * Where the index holds fewer codes than were asked for, {@code k} is the index's size: every code is
 * returned and nothing is padded (Faiss pads with id -1 instead; ids here are never negative, so a
 * reader converting to Faiss's layout can pad with -1 safely).
 */
public record SearchResult(int queries, int k, long[] ids, int[] distances) {

    public SearchResult {
        if (ids.length != (long) queries * k || distances.length != ids.length) {
            throw new IllegalArgumentException("result arrays must hold queries x k = " + (long) queries * k + " entries");
        }
    }

    /** Id of the {@code j}-th neighbour of query {@code q}. */
    public long id(int q, int j) {
        return ids[q * k + j];
    }

    /** Distance of the {@code j}-th neighbour of query {@code q}. */
    public int distance(int q, int j) {
        return distances[q * k + j];
    }

    /** Number of neighbours of query {@code q}: {@code k} for every query. */
    public int count(int q) {
        assert q >= 0 && q < queries;
        return k;
    }
}
