package org.deephash4j.eval;

import org.deephash4j.data.MultiHotLabels;

/**
 * What retrieval scores by chance: the share of database items relevant to a query, averaged over the
 * queries. It is the precision of a random ranking at every depth, and (up to a term that vanishes with
 * the database's size) its mean average precision, so a results table can say how far above chance a
 * method lies (0.10 for ten balanced classes; 0.0003 when each query has one relevant item in 3,786).
 */
public final class ChanceLevel {

    private ChanceLevel() {
    }

    /** The mean over queries of (relevant database items) / (database items). */
    public static double of(MultiHotLabels queries, MultiHotLabels database) {
        if (queries.size() == 0 || database.size() == 0) {
            return 0;
        }
        double sum = java.util.stream.IntStream.range(0, queries.size()).parallel().mapToDouble(q -> {
            int relevant = 0;
            for (int j = 0; j < database.size(); j++) {
                if (queries.relevant(q, database, j)) {
                    relevant++;
                }
            }
            return relevant / (double) database.size();
        }).sum();
        return sum / queries.size();
    }
}
