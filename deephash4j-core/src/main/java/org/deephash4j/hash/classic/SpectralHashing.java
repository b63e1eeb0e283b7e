package org.deephash4j.hash.classic;

import java.util.ArrayList;
import java.util.List;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashMethod;

/**
 * Spectral hashing (Weiss, Torralba &amp; Fergus, NIPS 2008), as in the authors' code: PCA to
 * {@code min(b, d)} dimensions; the projected training data spans a box [mn_j, mx_j] per direction;
 * the candidate eigenfunctions are the one-dimensional modes {@code cos(m pi (y_j - mn_j) / (mx_j - mn_j))}
 * for m = 1 .. ceil((b + 1) R_j / max R) - 1 along each direction j, with eigenvalue
 * -(m pi / R_j)^2; the b with the smallest |eigenvalue| (excluding the constant mode; ties keep the
 * code's order: by direction, then mode) become the bits: bit = [eigenfunction >= 0].
 * The authors threshold with {@code > 0}; the two differ only on an exact zero, which deephash4j maps
 * to 1 like every other method. The seed is not used: the method is deterministic.
 */
public final class SpectralHashing implements HashMethod {

    @Override
    public String name() {
        return "sh";
    }

    @Override
    public HashFunction fit(FeatureMatrix train, int bits, long seed) {
        int npca = Math.min(bits, train.columns());
        Pca pca = Pca.fit(train, npca, name());
        LinearProjection projection = new LinearProjection(pca.mean(), pca.componentsAsFloats(), npca);
        float[] y = projection.apply(train, name());
        double[] mn = new double[npca];
        double[] mx = new double[npca];
        java.util.Arrays.fill(mn, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(mx, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < train.rows(); i++) {
            for (int j = 0; j < npca; j++) {
                double v = y[i * npca + j];
                mn[j] = Math.min(mn[j], v);
                mx[j] = Math.max(mx[j], v);
            }
        }
        double eps = 1e-7;
        double maxRange = 0;
        double[] range = new double[npca];
        for (int j = 0; j < npca; j++) {
            mn[j] -= eps;
            mx[j] += eps;
            range[j] = mx[j] - mn[j];
            maxRange = Math.max(maxRange, range[j]);
        }
        record Mode(int dim, int m, double omega2) {
        }
        List<Mode> modes = new ArrayList<>();
        for (int j = 0; j < npca; j++) {
            int maxMode = (int) Math.ceil((bits + 1) * range[j] / maxRange);
            for (int m = 1; m < maxMode; m++) {
                double omega = m * Math.PI / range[j];
                modes.add(new Mode(j, m, omega * omega));
            }
        }
        modes.sort((a, b) -> Double.compare(a.omega2(), b.omega2()));
        if (modes.size() < bits) {
            throw new IllegalStateException("sh: only " + modes.size() + " eigenfunctions for " + bits + " bits");
        }
        int[] dims = new int[bits];
        int[] orders = new int[bits];
        for (int k = 0; k < bits; k++) {
            dims[k] = modes.get(k).dim();
            orders[k] = modes.get(k).m();
        }
        return new SpectralHashFunction(projection, mn, mx, dims, orders);
    }
}
