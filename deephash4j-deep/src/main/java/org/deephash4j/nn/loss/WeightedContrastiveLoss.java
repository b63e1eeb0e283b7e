package org.deephash4j.nn.loss;

import ai.djl.ndarray.NDArray;

/**
 * WCH's loss: the cross-entropy of the code-similarity distribution of view 1
 * against view 2, {@code softmax_m(<h1_n, h2_m> / (K τ))}, with the weighted similarities {@code W}
 * as soft targets (one direction, as the official code), plus the bit-balance regulariser on the
 * view-1 codes, {@code mean_k (mean_n h1[n, k])² - mean(h1²)}. Symmetric (an option): the mean of
 * both directions, view 2 against view 1 with the transposed weights as its targets, and of both
 * views' regularisers, as NT-Xent treats its two views.
 *
 * @param temperature τ (0.3)
 * @param balanceWeight the regulariser's weight (1 in the official code)
 * @param symmetric both directions (off in the official code)
 */
public record WeightedContrastiveLoss(float temperature, float balanceWeight, boolean symmetric) {

    public WeightedContrastiveLoss {
        if (!(temperature > 0) || !(balanceWeight >= 0)) {
            throw new IllegalArgumentException("invalid WCH loss: tau " + temperature + ", balance weight " + balanceWeight);
        }
    }

    /** The official code's settings: τ 0.3, balance weight 1, one direction. */
    public static WeightedContrastiveLoss defaults() {
        return new WeightedContrastiveLoss(0.3f, 1f, false);
    }

    /**
     * The loss.
     *
     * @param h1 view-1 codes (straight-through signs), {@code (N, K)}
     * @param h2 view-2 codes, {@code (N, K)}
     * @param w soft targets, {@code (N, N)}
     */
    public NDArray compute(NDArray h1, NDArray h2, NDArray w) {
        NDArray oneWay = direction(h1, h2, w);
        return symmetric ? oneWay.add(direction(h2, h1, w.transpose())).div(2) : oneWay;
    }

    /** Anchors {@code a} against candidates {@code b}: the distillation and the anchors' regulariser. */
    private NDArray direction(NDArray a, NDArray b, NDArray w) {
        long n = a.getShape().get(0);
        long bits = a.getShape().get(1);
        NDArray logProb = a.matMul(b.transpose()).div(bits * temperature).logSoftmax(1);
        NDArray distillation = w.mul(logProb).sum().div(-n);
        NDArray balance = a.mean(new int[] {0}).square().mean().sub(a.square().mean());
        return distillation.add(balance.mul(balanceWeight));
    }
}
