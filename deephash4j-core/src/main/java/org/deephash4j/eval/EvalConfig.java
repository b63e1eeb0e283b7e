package org.deephash4j.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to compute and under which conventions.
 *
 * @param mapCutoffs the K of each mAP@K; 0 means all (see {@link AllConvention})
 * @param precisionCutoffs the K of each precision@K and recall@K
 * @param allConvention what K = all ranks
 * @param zeroRelevant what a query with no relevant item in its top K does to the mean
 * @param radius the Hamming radius of the "within radius" precision and recall (2 in the field)
 * @param fullReport whether to compute recall, the PR curve by radius and the within-radius figures,
 *     which need every database item's relevance; mAP@K and precision@K alone do not
 */
public record EvalConfig(int[] mapCutoffs, int[] precisionCutoffs, AllConvention allConvention,
        ZeroRelevantRule zeroRelevant, int radius, boolean fullReport) {

    /** Precision@K cut-offs of the standard report. */
    public static final int[] STANDARD_PRECISION_CUTOFFS = {1, 5, 10, 20, 50, 100, 200, 500, 1000};

    public EvalConfig {
        mapCutoffs = mapCutoffs.clone();
        precisionCutoffs = precisionCutoffs.clone();
        for (int k : mapCutoffs) {
            if (k < 0) {
                throw new IllegalArgumentException("mAP cut-off must be positive, or 0 for all; got " + k);
            }
        }
        for (int k : precisionCutoffs) {
            if (k <= 0) {
                throw new IllegalArgumentException("precision cut-off must be positive, got " + k);
            }
        }
        if (radius < 0) {
            throw new IllegalArgumentException("radius must not be negative, got " + radius);
        }
    }

    /** The standard report: mAP@1000 and mAP@all, precision@K at the standard cut-offs, everything else too. */
    public static EvalConfig standard() {
        return new EvalConfig(new int[] {1000, 0}, STANDARD_PRECISION_CUTOFFS, AllConvention.FULL,
                ZeroRelevantRule.COUNT_AS_ZERO, 2, true);
    }

    /** mAP at the given cut-offs only (the fastest configuration). */
    public static EvalConfig mapOnly(int... cutoffs) {
        return new EvalConfig(cutoffs, new int[0], AllConvention.FULL, ZeroRelevantRule.COUNT_AS_ZERO, 2, false);
    }

    /** The same configuration with other mAP cut-offs. */
    public EvalConfig withMapCutoffs(int... cutoffs) {
        return new EvalConfig(cutoffs, precisionCutoffs, allConvention, zeroRelevant, radius, fullReport);
    }

    /** The same configuration with another zero-relevant rule. */
    public EvalConfig withZeroRelevant(ZeroRelevantRule rule) {
        return new EvalConfig(mapCutoffs, precisionCutoffs, allConvention, rule, radius, fullReport);
    }

    /** The same configuration with another convention for "all". */
    public EvalConfig withAllConvention(AllConvention convention) {
        return new EvalConfig(mapCutoffs, precisionCutoffs, convention, zeroRelevant, radius, fullReport);
    }

    @Override
    public int[] mapCutoffs() {
        return mapCutoffs.clone();
    }

    @Override
    public int[] precisionCutoffs() {
        return precisionCutoffs.clone();
    }

    /** The conventions, for reports. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("map_definition", "DeepHash-pytorch CalcTopMap: AP@K = (1/R_K) sum_j j/rank_j over the R_K relevant items in the top K");
        m.put("relevance", "query and item share at least one label");
        m.put("tie_rule", "rank by (Hamming distance, database position) ascending, as Faiss; "
                + "tie-aware figures are the expectation over all orders inside each tied group (McSherry & Najork 2008)");
        m.put("zero_relevant_rule", zeroRelevant == ZeroRelevantRule.COUNT_AS_ZERO
                ? "a query with no relevant item in its top K scores 0 and stays in the mean"
                : "a query with no relevant item in its top K is dropped from the mean (HashNet)");
        m.put("all", allConvention == AllConvention.FULL ? "K = all ranks all N database items"
                : "K = all ranks N - 1 items (DeepHash-pytorch topk = -1 compatibility)");
        m.put("precision_at_k", "R_K / min(K, N)");
        m.put("recall_at_k", "R_K / relevant items in the database (0 when there are none)");
        m.put("radius_rule", "items within Hamming distance r are retrieved; precision is 0 when none is");
        m.put("sign_rule", "value >= 0 is bit 1");
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvalConfig c && Arrays.equals(mapCutoffs, c.mapCutoffs) && Arrays.equals(precisionCutoffs,
                c.precisionCutoffs) && allConvention == c.allConvention && zeroRelevant == c.zeroRelevant && radius == c.radius
                && fullReport == c.fullReport;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mapCutoffs) * 31 + Arrays.hashCode(precisionCutoffs);
    }

    @Override
    public String toString() {
        return "EvalConfig[mAP@" + Arrays.toString(mapCutoffs) + ", P@" + Arrays.toString(precisionCutoffs) + ", "
                + allConvention + ", " + zeroRelevant + ", radius " + radius + (fullReport ? ", full" : "") + "]";
    }
}
