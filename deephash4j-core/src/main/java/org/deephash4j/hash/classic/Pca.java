package org.deephash4j.hash.classic;

import org.deephash4j.data.FeatureMatrix;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Principal component analysis of training features: the mean and the top-k eigenvectors of the
 * covariance (EJML's symmetric eigen-decomposition), by decreasing eigenvalue. Each component's sign
 * is fixed (its largest-magnitude entry is positive) so fitting is deterministic.
 *
 * @param components {@code dim x k}, row-major: column j is the j-th principal direction
 */
record Pca(float[] mean, double[] components, double[] eigenvalues, int dim, int k) {

    private static final int BLOCK = 4096;

    static Pca fit(FeatureMatrix x, int k, String method) {
        int d = x.columns();
        int n = x.rows();
        if (k > d) {
            throw new BitsExceedDimensionException(method, k, d);
        }
        if (n < 2) {
            throw new IllegalArgumentException(method + " needs at least 2 training items, got " + n);
        }
        float[] mean = Lsh.columnMeans(x);
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        DMatrixRMaj part = new DMatrixRMaj(d, d);
        float[] v = x.values();
        for (int start = 0; start < n; start += BLOCK) {
            int rows = Math.min(BLOCK, n - start);
            DMatrixRMaj block = new DMatrixRMaj(rows, d);
            double[] b = block.data;
            for (int i = 0; i < rows; i++) {
                int src = (start + i) * d;
                for (int j = 0; j < d; j++) {
                    b[i * d + j] = v[src + j] - mean[j];
                }
            }
            CommonOps_MT_DDRM.multTransA(block, block, part);
            CommonOps_DDRM.addEquals(cov, part);
        }
        CommonOps_DDRM.scale(1.0 / (n - 1), cov);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(cov)) {
            throw new IllegalStateException(method + ": eigen-decomposition of the covariance failed");
        }
        Integer[] order = new Integer[d];
        double[] values = new double[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
            values[i] = eig.getEigenvalue(i).getReal();
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        double[] comp = new double[d * k];
        double[] top = new double[k];
        for (int j = 0; j < k; j++) {
            DMatrixRMaj vec = eig.getEigenVector(order[j]);
            top[j] = values[order[j]];
            int argmax = 0;
            for (int i = 1; i < d; i++) {
                if (Math.abs(vec.get(i, 0)) > Math.abs(vec.get(argmax, 0))) {
                    argmax = i;
                }
            }
            double sign = vec.get(argmax, 0) < 0 ? -1 : 1;
            for (int i = 0; i < d; i++) {
                comp[i * k + j] = sign * vec.get(i, 0);
            }
        }
        return new Pca(mean, comp, top, d, k);
    }

    /** The centred training data projected on the components, {@code n x k} as an EJML matrix. */
    DMatrixRMaj project(FeatureMatrix x) {
        int n = x.rows();
        DMatrixRMaj out = new DMatrixRMaj(n, k);
        float[] v = x.values();
        double[] o = out.data;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                double c = v[i * dim + j] - mean[j];
                if (c == 0) {
                    continue;
                }
                int p = j * k;
                int q = i * k;
                for (int t = 0; t < k; t++) {
                    o[q + t] += c * components[p + t];
                }
            }
        }
        return out;
    }

    /** The components as floats, {@code dim x k}. */
    float[] componentsAsFloats() {
        float[] f = new float[components.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) components[i];
        }
        return f;
    }
}
