package org.deephash4j.nn;

import ai.djl.ndarray.NDArray;

/**
 * SoftSort (Prillo and Eisenschlos, ICML 2020), the differentiable sort NSH uses:
 * for each row {@code s} of scores, {@code P[r, k] = softmax_k(-|ŝ_r - s_k| / τ)} where {@code ŝ} is
 * {@code s} sorted in descending order, so row {@code r} of {@code P} is a soft one-hot of the item at
 * rank {@code r}. Gradients flow through both {@code s_k} and the sorted values {@code ŝ_r} (a gather
 * of {@code s}, scattered back to the original positions). As τ → 0, {@code P} tends to the true
 * permutation matrix. The hard variant returns the exact permutation (one-hot of each row's argmax)
 * in the forward pass and the soft gradient in the backward pass (straight-through).
 */
public final class SoftSort {

    private SoftSort() {
    }

    /**
     * The soft permutation matrices of the rows of {@code scores}.
     *
     * @param scores shape {@code (..., n)}
     * @param temperature τ &gt; 0
     * @param hard straight-through hard permutation
     * @return shape {@code (..., n, n)}: {@code [..., r, k]} is the weight of item {@code k} at rank {@code r}
     */
    public static NDArray permutation(NDArray scores, float temperature, boolean hard) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("SoftSort temperature must be > 0, got " + temperature);
        }
        int last = scores.getShape().dimension() - 1;
        NDArray sorted = scores.neg().sort(last).neg();
        NDArray logits = sorted.expandDims(last + 1).sub(scores.expandDims(last)).abs().div(-temperature);
        NDArray soft = logits.softmax(last + 1);
        if (!hard) {
            return soft;
        }
        NDArray oneHot = soft.argMax(last + 1).oneHot((int) scores.getShape().get(last)).toType(soft.getDataType(), false);
        return oneHot.sub(soft.stopGradient()).add(soft);
    }
}
