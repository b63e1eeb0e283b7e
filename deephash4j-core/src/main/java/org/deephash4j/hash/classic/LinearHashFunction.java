package org.deephash4j.hash.classic;

import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.ModelContents;

/**
 * A hash function of the form {@code bit_k = [ (x - mean) . W_k >= 0 ]}: the shape shared by LSH,
 * PCAH and ITQ, which differ only in how the projection {@code W} is chosen.
 */
public final class LinearHashFunction implements HashFunction {

    private final String method;
    private final int bits;
    private final LinearProjection projection;

    /** {@code projection} is {@code dim x bits}, row-major; arrays are copied. */
    public LinearHashFunction(String method, float[] mean, float[] projection, int bits) {
        BinaryCodes.checkBits(bits);
        this.method = method;
        this.bits = bits;
        this.projection = new LinearProjection(mean, projection, bits);
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
        return projection.dim();
    }

    /** The mean subtracted from every input (a copy). */
    public float[] mean() {
        return projection.mean();
    }

    /** The {@code dim x bits} projection (a copy). */
    public float[] projection() {
        return projection.weights();
    }

    @Override
    public BinaryCodes encode(FeatureMatrix features, long[] ids) {
        return BinaryCodes.fromSigns(projection.apply(features, method), bits, ids);
    }

    @Override
    public ModelContents contents() {
        return new ModelContents(method, bits, inputDimension(), Map.of("form", "sign((x - mean) W)"),
                Map.of("mean", ModelContents.widen(projection.mean()), "projection", ModelContents.widen(projection.weights())));
    }

    /** Rebuilds a function saved by {@link #contents()}. */
    static LinearHashFunction fromContents(ModelContents c) {
        int d = c.inputDimension();
        return new LinearHashFunction(c.method(), c.floatArray("mean", d), c.floatArray("projection", d * c.bits()), c.bits());
    }
}
