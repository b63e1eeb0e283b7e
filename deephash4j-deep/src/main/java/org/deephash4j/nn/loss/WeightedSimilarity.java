package org.deephash4j.nn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * WCH's weighted similarity between the images of a batch: the cosine of every
 * view-1 patch of image n with every view-2 patch of image m, the best match per view-1 patch, the
 * mean over patches (a Chamfer-style image-to-image similarity {@code W~[n, m]}), a row softmax at
 * temperature T_w, and each row divided by its diagonal so the positive pair weighs 1. The
 * {@code N x N x P x P} patch cosines are computed a block of anchors at a time, so memory grows with
 * the block, not with N².
 *
 * <p>The softmax divided by its diagonal is {@code W[n, m] = exp((W~[n, m] - W~[n, n]) / T_w)}, which is
 * how it is computed here: the same value and gradient without the softmax's normalising sums, whose
 * diagonal entry could underflow at a sharp T_w.
 *
 * @param temperature T_w (0.2 in the official code)
 * @param stopGradient detach the weights (an ablation; the official code lets gradients flow through them)
 * @param bound how the weights are kept bounded ({@link Bound}); the official code leaves them unbounded
 * @param block anchors per block of the patch-cosine computation
 */
public record WeightedSimilarity(float temperature, boolean stopGradient, Bound bound, int block) {

    /**
     * How large a weight may be. Divided by its diagonal, a row weighs the positive pair 1 but any image
     * more similar to the anchor than its own second view {@code exp((W~[n, m] - W~[n, n]) / T_w)}, up to
     * {@code e^10} at T_w 0.2, so the loss is unbounded (the official form).
     */
    public enum Bound {
        /** The official form: unbounded. */
        NONE,
        /** Each weight at most 1 (the positive pair's): {@code min(W, 1)}. */
        CLIP,
        /** Each row divided by its sum (SDC's {@code normalize_w}): a distribution. */
        ROWS
    }

    public WeightedSimilarity {
        if (!(temperature > 0) || block < 1) {
            throw new IllegalArgumentException("invalid weighted similarity: T_w " + temperature + ", block " + block);
        }
    }

    /** The official code's settings: T_w 0.2, no stop-gradient, unbounded weights; blocks of 8 anchors. */
    public static WeightedSimilarity official() {
        return new WeightedSimilarity(0.2f, false, Bound.NONE, 8);
    }

    /**
     * The weights {@code W}, {@code (N, N)}.
     *
     * @param t1 view-1 tokens (attended), {@code (N, P, d)}
     * @param t2 view-2 tokens (attended), {@code (N, P, d)}
     */
    public NDArray weights(NDArray t1, NDArray t2) {
        NDArray w = weightsOf(patchSimilarity(t1, t2));
        return stopGradient ? w.stopGradient() : w;
    }

    /**
     * {@code W~[n, m] = mean_i max_j cos(t1[n, i], t2[m, j])}, computed in blocks of anchors. The
     * cosines are computed without gradient, only to find each best match; the best pairs' cosines are
     * then recomputed with gradient. The value and the gradient are those of the max (whose gradient
     * reaches only the chosen pair), at a third of the cost: backward never touches the full
     * {@code N x N x P x P} tensor.
     */
    public NDArray patchSimilarity(NDArray t1, NDArray t2) {
        long n = t1.getShape().get(0);
        long p = t1.getShape().get(1);
        long d = t1.getShape().get(2);
        NDArray u1 = Norms.unitRows(t1);
        NDArray u2 = Norms.unitRows(t2).reshape(n * p, d); // row m * P + j
        NDArray u2Detached = u2.stopGradient().transpose();
        NDArray rowOfImage = u1.getManager().arange(0L, n * p, p).reshape(1, 1, n); // m * P
        NDList rows = new NDList();
        for (long a = 0; a < n; a += block) {
            long b = Math.min(n, a + block);
            NDArray anchors = u1.get(new NDIndex("{}:{}", a, b)); // (bn, P, d)
            NDArray cos = anchors.stopGradient().reshape((b - a) * p, d).matMul(u2Detached); // (bn*P, N*P)
            NDArray best = cos.reshape(b - a, p, n, p).argMax(3).add(rowOfImage); // (bn, P, N): row of the best match
            NDArray matched = u2.get(new NDIndex("{}", best)); // (bn, P, N, d)
            NDArray bestCos = matched.mul(anchors.expandDims(2)).sum(new int[] {3}); // (bn, P, N)
            rows.add(bestCos.mean(new int[] {1}));
        }
        return rows.size() == 1 ? rows.singletonOrThrow() : NDArrays.concat(rows, 0);
    }

    /** The row softmax at T_w divided by its diagonal, bounded as asked. */
    NDArray weightsOf(NDArray similarity) {
        int n = (int) similarity.getShape().get(0);
        NDArray diagonal = similarity.mul(similarity.getManager().eye(n)).sum(new int[] {1}, true);
        NDArray w = similarity.sub(diagonal).div(temperature).exp();
        return switch (bound) {
            case NONE -> w;
            case CLIP -> w.minimum(1f);
            case ROWS -> w.div(w.sum(new int[] {1}, true));
        };
    }
}
