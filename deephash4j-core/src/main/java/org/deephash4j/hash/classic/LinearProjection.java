package org.deephash4j.hash.classic;

import java.util.stream.IntStream;
import org.deephash4j.data.FeatureMatrix;

/**
 * {@code y = (x - mean) W}: the projection every classic method starts with. {@code W} is stored
 * input-dimension-major ({@code dim x outputs}) so the inner loop runs over contiguous outputs and C2
 * vectorises it; each output is accumulated in the same order every time, so results are bit-exact.
 */
final class LinearProjection {

    private final float[] mean;
    private final float[] weights;
    private final int dim;
    private final int outputs;

    LinearProjection(float[] mean, float[] weights, int outputs) {
        if (weights.length != mean.length * outputs) {
            throw new IllegalArgumentException("projection must be " + mean.length + " x " + outputs + ", has " + weights.length
                    + " values");
        }
        this.mean = mean.clone();
        this.weights = weights.clone();
        this.dim = mean.length;
        this.outputs = outputs;
    }

    int dim() {
        return dim;
    }

    int outputs() {
        return outputs;
    }

    float[] mean() {
        return mean.clone();
    }

    float[] weights() {
        return weights.clone();
    }

    /** Projects every row; returns {@code rows x outputs}, row-major. */
    float[] apply(FeatureMatrix features, String method) {
        if (features.columns() != dim) {
            throw new IllegalArgumentException(method + " was fitted on " + dim + "-dimensional features, got " + features.columns());
        }
        int n = features.rows();
        float[] x = features.values();
        float[] out = new float[Math.multiplyExact(n, outputs)];
        IntStream.range(0, n).parallel().forEach(i -> {
            int row = i * dim;
            int o = i * outputs;
            for (int d = 0; d < dim; d++) {
                float v = x[row + d] - mean[d];
                if (v == 0f) {
                    continue;
                }
                int p = d * outputs;
                for (int k = 0; k < outputs; k++) {
                    out[o + k] += v * weights[p + k];
                }
            }
        });
        return out;
    }
}
