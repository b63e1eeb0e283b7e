package org.deephash4j.eval;

/**
 * DeepHash-pytorch's AP@K of one query from its ranked relevance: {@code (1/R_K) sum_j j / rank_j} over
 * the R_K relevant items in the top K (0 when there are none). The one definition the single-machine
 * evaluator and the distributed one both use.
 */
public final class AveragePrecision {

    private AveragePrecision() {
    }

    /**
     * Prefix sums over the first {@code n} ranks: {@code foundAt[k]} relevant items in the top k and
     * {@code sumAt[k]} the sum of their precisions (both arrays at least {@code n + 1} long, index 0 zero).
     */
    public static void prefixSums(boolean[] relevantAt, int n, int[] foundAt, double[] sumAt) {
        int found = 0;
        double sum = 0;
        for (int pos = 0; pos < n; pos++) {
            if (relevantAt[pos]) {
                found++;
                sum += (double) found / (pos + 1);
            }
            foundAt[pos + 1] = found;
            sumAt[pos + 1] = sum;
        }
    }

    /** AP@k from the prefix sums. */
    public static double at(int k, int[] foundAt, double[] sumAt) {
        return foundAt[k] == 0 ? 0 : sumAt[k] / foundAt[k];
    }
}
