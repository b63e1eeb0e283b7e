package org.deephash4j.nn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;

/**
 * NT-Xent (SimCLR's normalised temperature-scaled cross-entropy) between two views: the rows of
 * {@code u1} and {@code u2} are L2-normalised; each of the 2n rows has its other view as the
 * positive and the other 2n - 2 rows as negatives; the loss is the mean over the 2n rows.
 *
 * @param temperature τ &gt; 0
 */
public record NtXent(float temperature) {

    public NtXent {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("NT-Xent temperature must be > 0, got " + temperature);
        }
    }

    /** The loss of the pair of views {@code u1}, {@code u2}, both {@code (n, d)}. */
    public NDArray compute(NDArray u1, NDArray u2) {
        int n = (int) u1.getShape().get(0);
        NDArray u = Norms.unitRows(NDArrays.concat(new ai.djl.ndarray.NDList(u1, u2), 0));
        NDArray eye = u.getManager().eye(2 * n);
        // a row's similarity with itself is removed from the softmax by a large negative logit
        NDArray logits = u.matMul(u.transpose()).div(temperature).sub(eye.mul(1e9f));
        NDArray logProb = logits.logSoftmax(1);
        // the positive of row i is row (i + n) mod 2n
        int[] positive = new int[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            positive[i] = (i + n) % (2 * n);
        }
        NDArray target = u.getManager().create(positive).oneHot(2 * n).toType(DataType.FLOAT32, false);
        return logProb.mul(target).sum(new int[] {1}).mean().neg();
    }
}
