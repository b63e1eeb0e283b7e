package org.deephash4j.nn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.deephash4j.nn.SoftSort;

/**
 * NSH's loss: the code similarity {@code S = b1 b2ᵀ / (2K) + 1/2} of the two
 * views, SoftSort of every row (most similar first), the soft permutation gathering the view-1
 * latents into one sorted list per anchor, scores of the list against the anchor's view-2 latent,
 * then SortedNCE (the first {@code m} ranks positives, the rest negatives, InfoNCE at temperature
 * τ_nce), plus the quantisation loss of both views' codes. The hash codes get gradient only through
 * the sort and the quantisation loss.
 *
 * @param positives m, the ranks counted as positives
 * @param nceTemperature τ_nce
 * @param sortTemperature τ_sort (the default is 1/K)
 * @param hardSort SoftSort's straight-through hard permutation
 * @param score how a sorted latent is scored against the anchor (U4)
 * @param doubleSoftmax SortedNCE as both re-implementations code it: softmax, then cross-entropy (U5)
 * @param sort sort by code similarity; without it (an ablation) the loss is plain InfoNCE between the
 *     views' latents with the anchor's own other view as the one positive, and the codes learn only
 *     from the quantisation loss
 * @param quantisationWeight λ_q
 */
public record NshLoss(int positives, float nceTemperature, float sortTemperature, boolean hardSort, Score score,
        boolean doubleSoftmax, boolean sort, float quantisationWeight) {

    /** How the sorted list's latents are scored against the anchor's view-2 latent. */
    public enum Score {
        /** Plain dot product ⟨E_i[r], z2_i⟩ (SDC; E_i[r] is a convex mixture of unit vectors, norm at most 1). */
        DOT,
        /** True cosine: the dot product divided by both norms. */
        COSINE
    }

    public NshLoss {
        if (positives < 1 || !(nceTemperature > 0) || !(sortTemperature > 0) || !(quantisationWeight >= 0)) {
            throw new IllegalArgumentException("invalid NSH loss settings: m " + positives + ", tau_nce " + nceTemperature
                    + ", tau_sort " + sortTemperature + ", lambda_q " + quantisationWeight);
        }
    }

    /**
     * A fixed τ_sort of 1/64 (the spec's 1/K at 64 bits): trained from scratch on val:mnist-ref, the best
     * of 1/K, 1/(2K) and 1/(4K) at 16 bits and of 1/K and 1/(2K) at 32 bits (docs/methods/nsh.md); below 64 bits 1/K
     * is too soft for the few top ranks the codes learn from.
     */
    public static final float FROM_SCRATCH_SORT_TEMPERATURE = 1f / 64;

    /** The stated defaults: m 2, τ_nce 0.3, τ_sort 1/K, soft sort, dot score, standard InfoNCE, λ_q 1. */
    public static NshLoss defaults(int bits) {
        return new NshLoss(2, 0.3f, 1f / bits, false, Score.DOT, false, true, 1f);
    }

    /** Every setting, for saved models and reports. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("positives", positives);
        m.put("tau_nce", nceTemperature);
        m.put("tau_sort", sortTemperature);
        m.put("sort", sort ? (hardSort ? "softsort, hard (straight-through)" : "softsort") : "none (ablation)");
        m.put("score", score.name().toLowerCase(Locale.ROOT));
        m.put("sorted_nce", doubleSoftmax ? "double softmax (as the re-implementations)" : "InfoNCE");
        m.put("quantisation_weight", quantisationWeight);
        return m;
    }

    /**
     * The loss of one batch.
     *
     * @param b1 view-1 relaxed codes (tanh), {@code (n, K)}
     * @param b2 view-2 relaxed codes, {@code (n, K)}
     * @param z1 view-1 unit latents, {@code (n, d)}
     * @param z2 view-2 unit latents, {@code (n, d)}
     */
    public NDArray compute(NDArray b1, NDArray b2, NDArray z1, NDArray z2) {
        int n = (int) b1.getShape().get(0);
        NDArray contrast;
        if (sort) {
            if (positives >= n) {
                throw new IllegalArgumentException("SortedNCE needs more items than positives: batch " + n + ", m " + positives);
            }
            NDArray p = SoftSort.permutation(similarity(b1, b2), sortTemperature, hardSort);
            contrast = sortedNce(scores(p, z1, z2));
        } else {
            // scores[i, k] = <z1_k, z2_i>, the positive of anchor i at k = i
            NDArray logProb = z2.matMul(z1.transpose()).div(nceTemperature).logSoftmax(1);
            contrast = logProb.mul(b1.getManager().eye(n)).sum().div(-n);
        }
        return contrast.add(Quantisation.loss(b1, b2).mul(quantisationWeight));
    }

    /** {@code S = b1 b2ᵀ / (2K) + 1/2}: for binary codes 1 - Hamming distance / K. */
    public static NDArray similarity(NDArray b1, NDArray b2) {
        long bits = b1.getShape().get(1);
        return b1.matMul(b2.transpose()).div(2f * bits).add(0.5f);
    }

    /**
     * The scores {@code c[i, r] = ⟨E_i[r], z2_i⟩} with {@code E_i = P_i z1}, {@code (n, n)}. The dot
     * product is computed as {@code P_i (z1 z2ᵀ)[:, i]}, which never builds the {@code n x n x d}
     * tensor E.
     */
    NDArray scores(NDArray p, NDArray z1, NDArray z2) {
        if (score == Score.DOT) {
            NDArray g = z2.matMul(z1.transpose()); // g[i, k] = <z1_k, z2_i>
            return p.matMul(g.expandDims(2)).squeeze(2);
        }
        NDArray e = p.matMul(z1); // (n, n, d)
        return Norms.unitRows(e).mul(Norms.unitRows(z2).expandDims(1)).sum(new int[] {2});
    }

    /**
     * SortedNCE of scores {@code c} ({@code (n, n)}, column r = rank r): for every positive rank
     * r &lt; m, InfoNCE of {@code [c[:, r], c[:, m..]] / τ_nce} with the positive first; the mean over
     * anchors and positives.
     */
    NDArray sortedNce(NDArray c) {
        NDArray negatives = c.get(new NDIndex(":, {}:", positives));
        NDArray total = null;
        for (int r = 0; r < positives; r++) {
            NDArray logits = NDArrays.concat(new NDList(c.get(new NDIndex(":, {}:{}", r, r + 1)), negatives), 1).div(nceTemperature);
            if (doubleSoftmax) {
                logits = logits.softmax(1);
            }
            NDArray term = logits.logSoftmax(1).get(new NDIndex(":, 0")).mean().neg();
            total = total == null ? term : total.add(term);
        }
        return total.div(positives);
    }
}
