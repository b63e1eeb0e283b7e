package org.deephash4j.hash.classic;

import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashMethod;
import org.deephash4j.util.SeededRandom;

/**
 * Locality-sensitive hashing by random hyperplanes (Charikar 2002): the sign of Gaussian random
 * projections of the features centred by the training mean. The only thing learnt is the mean.
 */
public final class Lsh implements HashMethod {

    @Override
    public String name() {
        return "lsh";
    }

    @Override
    public HashFunction fit(FeatureMatrix train, int bits, long seed) {
        int dim = train.columns();
        float[] mean = columnMeans(train);
        SeededRandom random = new SeededRandom(seed);
        float[] w = new float[dim * bits];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        return new LinearHashFunction(name(), mean, w, bits);
    }

    /** Per-column means of {@code m}, accumulated in double precision (shared with the PCA-based methods). */
    static float[] columnMeans(FeatureMatrix m) {
        if (m.rows() == 0) {
            throw new IllegalArgumentException("cannot fit on zero training items");
        }
        double[] sum = new double[m.columns()];
        float[] v = m.values();
        for (int i = 0; i < m.rows(); i++) {
            int row = i * m.columns();
            for (int d = 0; d < sum.length; d++) {
                sum[d] += v[row + d];
            }
        }
        float[] mean = new float[sum.length];
        for (int d = 0; d < sum.length; d++) {
            mean[d] = (float) (sum[d] / m.rows());
        }
        return mean;
    }
}
