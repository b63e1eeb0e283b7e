package org.deephash4j.data.io;

/**
 * Separable resampling weights from {@code n} samples to {@code m}: area averaging when shrinking (each
 * output sample is the mean of the source interval it covers, partial samples weighted by their
 * overlap), linear interpolation between pixel centres when enlarging.
 */
final class Resampler {

    private final int[] first;
    private final float[][] weights;

    private Resampler(int[] first, float[][] weights) {
        this.first = first;
        this.weights = weights;
    }

    static Resampler of(int n, int m) {
        assert n > 0 && m > 0;
        int[] first = new int[m];
        float[][] weights = new float[m][];
        if (m <= n) {
            double scale = (double) n / m;
            for (int i = 0; i < m; i++) {
                double lo = i * scale;
                double hi = Math.min(n, (i + 1) * scale);
                int j0 = (int) Math.floor(lo);
                int j1 = Math.min(n, (int) Math.ceil(hi));
                first[i] = j0;
                weights[i] = new float[j1 - j0];
                for (int j = j0; j < j1; j++) {
                    weights[i][j - j0] = (float) ((Math.min(j + 1, hi) - Math.max(j, lo)) / scale);
                }
            }
        } else {
            for (int i = 0; i < m; i++) {
                double s = Math.max(0, Math.min(n - 1, (i + 0.5) * n / m - 0.5));
                int j0 = Math.min((int) Math.floor(s), n - 1);
                float t = (float) (s - j0);
                first[i] = j0;
                weights[i] = j0 + 1 < n ? new float[] {1 - t, t} : new float[] {1};
            }
        }
        return new Resampler(first, weights);
    }

    /** Resamples {@code n} values of {@code src} (from {@code srcOff}, every {@code srcStride}) into {@code m} of {@code dst}. */
    void apply(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride) {
        for (int i = 0; i < first.length; i++) {
            float[] w = weights[i];
            int s = srcOff + first[i] * srcStride;
            float sum = 0;
            for (float wk : w) {
                sum += wk * src[s];
                s += srcStride;
            }
            dst[dstOff + i * dstStride] = sum;
        }
    }
}
