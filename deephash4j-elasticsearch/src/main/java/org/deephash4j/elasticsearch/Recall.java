package org.deephash4j.elasticsearch;

import org.deephash4j.index.SearchResult;

/** Recall of an approximate search against the exact one, counting ties at the k-th distance as found. */
public final class Recall {

    private Recall() {
    }

    /**
     * Mean over queries of the fraction of the exact k nearest that the approximate search found,
     * where a returned item at a distance no greater than the exact k-th counts (ties are interchangeable).
     */
    public static double atK(SearchResult exact, SearchResult approx, int k) {
        double sum = 0;
        for (int q = 0; q < exact.queries(); q++) {
            int kth = exact.distance(q, Math.min(k, exact.k()) - 1);
            int found = 0;
            for (int j = 0; j < Math.min(k, approx.k()); j++) {
                if (approx.distance(q, j) <= kth) {
                    found++;
                }
            }
            sum += (double) Math.min(found, k) / Math.min(k, exact.k());
        }
        return exact.queries() == 0 ? 1 : sum / exact.queries();
    }
}
