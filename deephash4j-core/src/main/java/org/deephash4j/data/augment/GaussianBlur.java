package org.deephash4j.data.augment;

import org.deephash4j.data.ImageShape;
import org.deephash4j.util.SeededRandom;

/**
 * With probability {@code p}, a separable Gaussian blur with sigma uniform in [minSigma, maxSigma], a
 * kernel of radius ceil(2 sigma), borders handled by clamping to the edge (a constant image stays constant).
 */
public record GaussianBlur(double minSigma, double maxSigma, double p) implements Transform {

    @Override
    public void apply(float[] src, float[] dst, ImageShape shape, SeededRandom r) {
        boolean blur = r.nextDouble() < p;
        double sigma = minSigma + (maxSigma - minSigma) * r.nextDouble();
        if (!blur) {
            System.arraycopy(src, 0, dst, 0, shape.pixels());
            return;
        }
        int radius = (int) Math.ceil(2 * sigma);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        int h = shape.height();
        int w = shape.width();
        float[] tmp = new float[h * w];
        for (int c = 0; c < shape.channels(); c++) {
            int off = c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int i = -radius; i <= radius; i++) {
                        s += k[i + radius] * src[off + y * w + Math.min(w - 1, Math.max(0, x + i))];
                    }
                    tmp[y * w + x] = (float) s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int i = -radius; i <= radius; i++) {
                        s += k[i + radius] * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x];
                    }
                    dst[off + y * w + x] = (float) s;
                }
            }
        }
    }
}
