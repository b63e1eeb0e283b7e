package org.deephash4j.index;

/**
 * Every code within a radius of each query, as Faiss lays range results out: the neighbours of
 * query q are entries {@code lims[q] .. lims[q+1]-1} of {@code ids} and {@code distances}, ordered by
 * (distance, id).
 */
public record RangeResult(int radius, long[] lims, long[] ids, int[] distances) {

    /** Number of queries. */
    public int queries() {
        return lims.length - 1;
    }

    /** Number of neighbours of query {@code q}. */
    public int count(int q) {
        return (int) (lims[q + 1] - lims[q]);
    }

    /** Id of the {@code j}-th neighbour of query {@code q}. */
    public long id(int q, int j) {
        return ids[(int) lims[q] + j];
    }

    /** Distance of the {@code j}-th neighbour of query {@code q}. */
    public int distance(int q, int j) {
        return distances[(int) lims[q] + j];
    }
}
