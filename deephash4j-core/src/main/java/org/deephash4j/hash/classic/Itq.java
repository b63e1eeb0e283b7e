package org.deephash4j.hash.classic;

import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashMethod;
import org.deephash4j.util.SeededRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Iterative quantisation (Gong &amp; Lazebnik, CVPR 2011): PCA to b dimensions, then an orthogonal
 * rotation R that minimises the quantisation loss ||B - V R||_F^2, alternating B = sign(V R) and the
 * orthogonal Procrustes solution R = S_hat S^T from the SVD of B^T V = S Omega S_hat^T. R starts as a
 * seeded random orthogonal matrix. The final function is {@code sign((x - mean) W R)}.
 */
public final class Itq implements HashMethod {

    /** Default number of rotation updates, as in the paper's code. */
    public static final int DEFAULT_ITERATIONS = 50;

    private final int iterations;

    public Itq() {
        this(DEFAULT_ITERATIONS);
    }

    public Itq(int iterations) {
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must not be negative, got " + iterations);
        }
        this.iterations = iterations;
    }

    @Override
    public String name() {
        return "itq";
    }

    @Override
    public HashFunction fit(FeatureMatrix train, int bits, long seed) {
        return fitWithDiagnostics(train, bits, seed).function();
    }

    /**
     * A fitted ITQ function with what the optimisation went through.
     *
     * @param loss the quantisation loss ||B - V R||^2 before each update and after the last one
     * @param rotation the final {@code b x b} rotation, row-major
     */
    public record Fit(LinearHashFunction function, double[] loss, double[] rotation) {
    }

    /** Fits and also returns the loss history and the rotation. */
    public Fit fitWithDiagnostics(FeatureMatrix train, int bits, long seed) {
        Pca pca = Pca.fit(train, bits, name());
        DMatrixRMaj v = pca.project(train);
        DMatrixRMaj r = randomRotation(bits, seed);
        DMatrixRMaj z = new DMatrixRMaj(v.numRows, bits);
        DMatrixRMaj b = new DMatrixRMaj(v.numRows, bits);
        DMatrixRMaj c = new DMatrixRMaj(bits, bits);
        double[] loss = new double[iterations + 1];
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(bits, bits, true, true, false);
        for (int it = 0; it <= iterations; it++) {
            CommonOps_DDRM.mult(v, r, z);
            double l = 0;
            for (int i = 0; i < z.data.length; i++) {
                double s = z.data[i] >= 0 ? 1 : -1;
                b.data[i] = s;
                double e = s - z.data[i];
                l += e * e;
            }
            loss[it] = l;
            if (it == iterations) {
                break;
            }
            CommonOps_DDRM.multTransA(b, v, c);
            if (!svd.decompose(c.copy())) {
                throw new IllegalStateException("itq: SVD failed at iteration " + it);
            }
            DMatrixRMaj uB = svd.getU(null, false);
            DMatrixRMaj uA = svd.getV(null, false);
            CommonOps_DDRM.multTransB(uA, uB, r);
        }
        DMatrixRMaj w = new DMatrixRMaj(pca.dim(), bits, true, pca.components());
        DMatrixRMaj wr = new DMatrixRMaj(pca.dim(), bits);
        CommonOps_DDRM.mult(w, r, wr);
        float[] projection = new float[wr.data.length];
        for (int i = 0; i < projection.length; i++) {
            projection[i] = (float) wr.data[i];
        }
        return new Fit(new LinearHashFunction(name(), pca.mean(), projection, bits), loss, r.data.clone());
    }

    /** A seeded random orthogonal matrix: the left singular vectors of a Gaussian matrix. */
    static DMatrixRMaj randomRotation(int n, long seed) {
        SeededRandom random = new SeededRandom(seed);
        DMatrixRMaj g = new DMatrixRMaj(n, n);
        for (int i = 0; i < g.data.length; i++) {
            g.data[i] = random.nextGaussian();
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, n, true, false, false);
        if (!svd.decompose(g)) {
            throw new IllegalStateException("itq: SVD of the initial rotation failed");
        }
        return svd.getU(null, false);
    }
}
