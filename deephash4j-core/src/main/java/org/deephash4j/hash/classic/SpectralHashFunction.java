package org.deephash4j.hash.classic;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.ModelContents;

/**
 * A fitted spectral hash: bit k is {@code [cos(m_k pi (y_j - mn_j) / (mx_j - mn_j)) >= 0]} with
 * {@code y = (x - mean) W} and {@code j = dim_k}. Uses {@link StrictMath} so the codes are bit-exact on
 * every JVM and after saving and loading.
 */
public final class SpectralHashFunction implements HashFunction {

    private final LinearProjection projection;
    private final double[] mn;
    private final double[] mx;
    private final int[] dims;
    private final int[] modes;

    SpectralHashFunction(LinearProjection projection, double[] mn, double[] mx, int[] dims, int[] modes) {
        BinaryCodes.checkBits(dims.length);
        if (mn.length != projection.outputs() || mx.length != projection.outputs() || modes.length != dims.length) {
            throw new IllegalArgumentException("inconsistent spectral hash parameters");
        }
        for (int d : dims) {
            if (d < 0 || d >= projection.outputs()) {
                throw new IllegalArgumentException("spectral hash mode along direction " + d + " of " + projection.outputs());
            }
        }
        this.projection = projection;
        this.mn = mn.clone();
        this.mx = mx.clone();
        this.dims = dims.clone();
        this.modes = modes.clone();
    }

    @Override
    public String method() {
        return "sh";
    }

    @Override
    public int bits() {
        return dims.length;
    }

    @Override
    public int inputDimension() {
        return projection.dim();
    }

    /** The principal direction of each bit's eigenfunction. */
    public int[] directions() {
        return dims.clone();
    }

    /** The mode number of each bit's eigenfunction. */
    public int[] modes() {
        return modes.clone();
    }

    @Override
    public BinaryCodes encode(FeatureMatrix features, long[] ids) {
        float[] y = projection.apply(features, method());
        int k = projection.outputs();
        int bits = dims.length;
        int n = features.rows();
        BinaryCodes.Builder b = new BinaryCodes.Builder(bits, n);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < bits; t++) {
                int j = dims[t];
                double omega = modes[t] * Math.PI / (mx[j] - mn[j]);
                double v = StrictMath.sin(omega * (y[i * k + j] - mn[j]) + Math.PI / 2);
                if (v >= 0) {
                    b.set(i, t);
                }
            }
        }
        return b.build(ids);
    }

    @Override
    public ModelContents contents() {
        Map<String, double[]> arrays = new LinkedHashMap<>();
        arrays.put("mean", ModelContents.widen(projection.mean()));
        arrays.put("components", ModelContents.widen(projection.weights()));
        arrays.put("mn", mn.clone());
        arrays.put("mx", mx.clone());
        arrays.put("directions", java.util.Arrays.stream(dims).asDoubleStream().toArray());
        arrays.put("modes", java.util.Arrays.stream(modes).asDoubleStream().toArray());
        return new ModelContents(method(), bits(), inputDimension(), Map.of("principal_directions", projection.outputs()), arrays);
    }

    static SpectralHashFunction fromContents(ModelContents c) {
        int d = c.inputDimension();
        int k = ((Number) c.config().get("principal_directions")).intValue();
        LinearProjection p = new LinearProjection(c.floatArray("mean", d), c.floatArray("components", d * k), k);
        int[] dims = java.util.Arrays.stream(c.array("directions", c.bits())).mapToInt(v -> (int) v).toArray();
        int[] modes = java.util.Arrays.stream(c.array("modes", c.bits())).mapToInt(v -> (int) v).toArray();
        return new SpectralHashFunction(p, c.array("mn", k), c.array("mx", k), dims, modes);
    }
}
