package org.deephash4j.hash.classic;

import java.util.stream.IntStream;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.hash.HashFunction;

/**
 * A hash function of the form {@code bit_k = [ (x - mean) . W_k >= 0 ]}: the shape shared by LSH,
 * PCAH and ITQ, which differ only in how the projection {@code W} is chosen.
 * {@code W} is stored input-dimension-major ({@code d x bits}) so the encoding loop vectorises.
 */
public final class LinearHashFunction implements HashFunction {

    private final String method;
    private final int bits;
    private final int dim;
    private final float[] mean;
    private final float[] projection;

    /** {@code projection} is {@code dim x bits}, row-major; arrays are copied. */
    public LinearHashFunction(String method, float[] mean, float[] projection, int bits) {
        BinaryCodes.checkBits(bits);
        if (projection.length != mean.length * bits) {
            throw new IllegalArgumentException("projection must be " + mean.length + " x " + bits + ", has " + projection.length
                    + " values");
        }
        this.method = method;
        this.bits = bits;
        this.dim = mean.length;
        this.mean = mean.clone();
        this.projection = projection.clone();
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public int bits() {
        return bits;
    }

    @Override
    public int inputDimension() {
        return dim;
    }

    /** The mean subtracted from every input (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** The {@code dim x bits} projection (a copy). */
    public float[] projection() {
        return projection.clone();
    }

    @Override
    public BinaryCodes encode(FeatureMatrix features, long[] ids) {
        if (features.columns() != dim) {
            throw new IllegalArgumentException(method + " was fitted on " + dim + "-dimensional features, got " + features.columns());
        }
        int n = features.rows();
        float[] x = features.values();
        float[] out = new float[Math.multiplyExact(n, bits)];
        IntStream.range(0, n).parallel().forEach(i -> {
            int row = i * dim;
            int o = i * bits;
            for (int d = 0; d < dim; d++) {
                float v = x[row + d] - mean[d];
                if (v == 0f) {
                    continue;
                }
                int p = d * bits;
                for (int k = 0; k < bits; k++) {
                    out[o + k] += v * projection[p + k];
                }
            }
        });
        return BinaryCodes.fromSigns(out, bits, ids);
    }
}
