package org.deephash4j.nn.loss;

import ai.djl.ndarray.NDArray;

/**
 * OrthoHash's single loss: a scaled, margin-penalised cosine softmax cross-entropy
 * between the continuous codes v and fixed binary target codes o_c of the classes.
 *
 * <p>With cos_c = cos(v, o_c) and y the multi-hot labels: z_c = s (cos_c - m y_c) (CosFace), or with
 * {@link #arc} z_c = s cos(theta_c + m y_c), theta_c = arccos(clamp(cos_c, +-0.99999)) (OrthoArc);
 * the targets are t = y / sum(y), and L = -mean over the batch of sum_c t_c log softmax(z)_c. For
 * single-label data t is one-hot and this is CosFace with fixed class weights; for multi-label data it
 * is the paper's label smoothing, the margin applied to every positive class. A row without labels
 * contributes 0 and stays in the mean.
 *
 * @param scale s: 8 in the reference code; √K in the paper's supplement
 * @param margin m: 0.2 by default (0.3 in the reference CIFAR-10 command)
 * @param arc OrthoArc instead of the cosine margin
 */
public record OrthoCosLoss(float scale, float margin, boolean arc) {

    /** The reference code's defaults: s = 8, m = 0.2, cosine margin. */
    public static OrthoCosLoss defaults() {
        return new OrthoCosLoss(8f, 0.2f, false);
    }

    /** The scale √K of the paper's supplement for {@code bits}-bit codes. */
    public static float sqrtScale(int bits) {
        return (float) Math.sqrt(bits);
    }

    /**
     * The loss of a batch.
     *
     * @param codes continuous codes v, {@code batch x bits}
     * @param labels multi-hot labels, {@code batch x classes}, 0/1 floats
     * @param targetCodes the class codes, {@code classes x bits} of -1 / +1 (not trained)
     */
    public NDArray compute(NDArray codes, NDArray labels, NDArray targetCodes) {
        NDArray cos = cosines(codes, targetCodes);
        NDArray z;
        if (arc) {
            NDArray theta = cos.clip(-0.99999f, 0.99999f).acos();
            z = theta.add(labels.mul(margin)).cos().mul(scale);
        } else {
            z = cos.sub(labels.mul(margin)).mul(scale);
        }
        NDArray count = labels.sum(new int[] {1}, true);
        NDArray targets = labels.div(count.maximum(1f));
        return targets.mul(z.logSoftmax(1)).sum(new int[] {1}).neg().mean();
    }

    /** cos(v_n, o_c) for every code and class, {@code batch x classes}. */
    public static NDArray cosines(NDArray codes, NDArray targetCodes) {
        NDArray v = codes.div(codes.norm(new int[] {1}, true).maximum(1e-12f));
        NDArray o = targetCodes.div(targetCodes.norm(new int[] {1}, true));
        return v.matMul(o.transpose());
    }
}
