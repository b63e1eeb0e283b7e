package org.deephash4j.eval;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.Hamming;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.util.ProgressListener;

/**
 * Hamming-ranking retrieval metrics, computed exactly as the field does and fast.
 *
 * <p>For each query the database is ranked by (Hamming distance, database position) ascending, the
 * tie rule of Faiss, by a counting sort over the {@code bits + 1} possible distances (never a full
 * sort). An item is relevant when it shares a label with the query.
 * <ul>
 *   <li>mAP@K: DeepHash-pytorch's {@code CalcTopMap}: AP@K = (1/R_K) sum_j j / rank_j over the R_K relevant
 *       items in the top K; a query with R_K = 0 scores 0 and stays in the mean. K = 0 means all items.</li>
 *   <li>precision@K = R_K / min(K, N); recall@K = R_K / (relevant items in the database), 0 when there are none.</li>
 * </ul>
 * Queries run in parallel; memory is a few arrays of database length per thread.
 */
public final class RetrievalEvaluator {

    private RetrievalEvaluator() {
    }

    /**
     * Mean metrics over queries at each cut-off.
     *
     * @param ks the cut-offs K (0 or anything at least the database size means "all")
     */
    public record Result(int[] ks, double[] meanAp, double[] precision, double[] recall, int queries, int database) {

        /** mAP at cut-off {@code k} (which must be one of {@link #ks()}). */
        public double mapAt(int k) {
            return meanAp[indexOf(k)];
        }

        /** Precision at cut-off {@code k}. */
        public double precisionAt(int k) {
            return precision[indexOf(k)];
        }

        /** Recall at cut-off {@code k}. */
        public double recallAt(int k) {
            return recall[indexOf(k)];
        }

        private int indexOf(int k) {
            for (int i = 0; i < ks.length; i++) {
                if (ks[i] == k) {
                    return i;
                }
            }
            throw new IllegalArgumentException("K = " + k + " was not evaluated (evaluated: " + Arrays.toString(ks) + ")");
        }
    }

    /** Evaluates {@code queries} against {@code database} at the cut-offs {@code ks}. */
    public static Result evaluate(BinaryCodes queries, MultiHotLabels queryLabels, BinaryCodes database,
            MultiHotLabels databaseLabels, int[] ks, ProgressListener progress) {
        if (queries.bits() != database.bits()) {
            throw new IllegalArgumentException("query codes have " + queries.bits() + " bits, database codes " + database.bits());
        }
        if (queries.size() != queryLabels.size() || database.size() != databaseLabels.size()) {
            throw new IllegalArgumentException("codes and labels differ in count (queries " + queries.size() + " vs "
                    + queryLabels.size() + ", database " + database.size() + " vs " + databaseLabels.size() + ")");
        }
        if (queryLabels.numClasses() != databaseLabels.numClasses()) {
            throw new IllegalArgumentException("query and database labels have different class counts");
        }
        int n = database.size();
        int nq = queries.size();
        if (n == 0) {
            throw new IllegalArgumentException("the database is empty");
        }
        int[] cut = new int[ks.length];
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] < 0) {
                throw new IllegalArgumentException("K must be positive or 0 for all, got " + ks[i]);
            }
            cut[i] = ks[i] == 0 ? n : Math.min(ks[i], n);
        }
        int maxCut = Arrays.stream(cut).max().orElse(0);
        double[][] ap = new double[nq][ks.length];
        double[][] prec = new double[nq][ks.length];
        double[][] rec = new double[nq][ks.length];
        ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(() -> new Workspace(n, database.bits()));
        progress.start("evaluating " + nq + " queries", nq);
        try {
            IntStream.range(0, nq).parallel().forEach(q -> {
                Workspace w = workspaces.get();
                w.rank(queries, q, database);
                int totalRelevant = 0;
                for (int i = 0; i < n; i++) {
                    if (queryLabels.relevant(q, databaseLabels, i)) {
                        totalRelevant++;
                    }
                }
                double sumPrecision = 0;
                int found = 0;
                int[] order = w.order;
                for (int pos = 0; pos < maxCut; pos++) {
                    if (queryLabels.relevant(q, databaseLabels, order[pos])) {
                        found++;
                        sumPrecision += (double) found / (pos + 1);
                    }
                    for (int c = 0; c < cut.length; c++) {
                        if (cut[c] == pos + 1) {
                            record(ap[q], prec[q], rec[q], c, found, sumPrecision, cut[c], totalRelevant);
                        }
                    }
                }
                progress.advance(1);
            });
        } finally {
            progress.finish();
        }
        return new Result(ks.clone(), mean(ap, ks.length), mean(prec, ks.length), mean(rec, ks.length), nq, n);
    }

    private static void record(double[] ap, double[] prec, double[] rec, int c, int found, double sumPrecision, int cut,
            int totalRelevant) {
        ap[c] = found == 0 ? 0 : sumPrecision / found;
        prec[c] = (double) found / cut;
        rec[c] = totalRelevant == 0 ? 0 : (double) found / totalRelevant;
    }

    private static double[] mean(double[][] perQuery, int width) {
        double[] m = new double[width];
        for (double[] row : perQuery) {
            for (int c = 0; c < width; c++) {
                m[c] += row[c];
            }
        }
        for (int c = 0; c < width; c++) {
            m[c] /= Math.max(1, perQuery.length);
        }
        return m;
    }

    /** Per-thread buffers: distances, the counting-sort histogram and the resulting order. */
    private static final class Workspace {
        final int[] distances;
        final int[] order;
        final int[] start;

        Workspace(int n, int bits) {
            distances = new int[n];
            order = new int[n];
            start = new int[bits + 2];
        }

        /** Fills {@link #order} with database positions sorted by (distance to query q, position). */
        void rank(BinaryCodes queries, int q, BinaryCodes database) {
            int n = distances.length;
            int wpc = database.wordsPerCode();
            Hamming.distances(queries.words(), q * wpc, database.words(), n, wpc, distances);
            Arrays.fill(start, 0);
            for (int i = 0; i < n; i++) {
                start[distances[i] + 1]++;
            }
            for (int d = 1; d < start.length; d++) {
                start[d] += start[d - 1];
            }
            for (int i = 0; i < n; i++) {
                order[start[distances[i]]++] = i;
            }
        }
    }
}
