package org.deephash4j.data.augment;

import org.deephash4j.data.ImageShape;
import org.deephash4j.util.SeededRandom;

/**
 * Random resized crop (torchvision's sampling: area fraction in [minScale, maxScale], log-uniform aspect
 * ratio, 10 attempts, then the whole image), resized back to the input size with bilinear interpolation,
 * optionally combined with a random rotation of up to {@code maxDegrees} about the crop's centre (zero
 * padding outside the image), as one affine warp.
 */
public record RandomResizedCrop(double minScale, double maxScale, double minRatio, double maxRatio, double maxDegrees)
        implements Transform {

    @Override
    public void apply(float[] src, float[] dst, ImageShape shape, SeededRandom r) {
        int h = shape.height();
        int w = shape.width();
        double cw = w;
        double ch = h;
        double x0 = 0;
        double y0 = 0;
        for (int attempt = 0; attempt < 10; attempt++) {
            double area = w * h * (minScale + (maxScale - minScale) * r.nextDouble());
            double logRatio = Math.log(minRatio) + (Math.log(maxRatio) - Math.log(minRatio)) * r.nextDouble();
            double ratio = Math.exp(logRatio);
            double tw = Math.sqrt(area * ratio);
            double th = Math.sqrt(area / ratio);
            if (tw <= w && th <= h) {
                cw = tw;
                ch = th;
                x0 = (w - tw) * r.nextDouble();
                y0 = (h - th) * r.nextDouble();
                break;
            }
        }
        double angle = maxDegrees == 0 ? 0 : Math.toRadians((2 * r.nextDouble() - 1) * maxDegrees);
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double cx = x0 + cw / 2;
        double cy = y0 + ch / 2;
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // output pixel -> crop coordinates (pixel centres) -> rotation about the crop centre
                double u = (x + 0.5) * cw / w - cw / 2;
                double v = (y + 0.5) * ch / h - ch / 2;
                double sx = cx + cos * u - sin * v - 0.5;
                double sy = cy + sin * u + cos * v - 0.5;
                for (int c = 0; c < shape.channels(); c++) {
                    dst[c * plane + y * w + x] = bilinear(src, c * plane, w, h, sx, sy);
                }
            }
        }
    }

    /** Bilinear sample at (x, y) in pixel coordinates; 0 outside the image. */
    static float bilinear(float[] img, int off, int w, int h, double x, double y) {
        int x1 = (int) Math.floor(x);
        int y1 = (int) Math.floor(y);
        double fx = x - x1;
        double fy = y - y1;
        return (float) ((1 - fx) * (1 - fy) * at(img, off, w, h, x1, y1) + fx * (1 - fy) * at(img, off, w, h, x1 + 1, y1)
                + (1 - fx) * fy * at(img, off, w, h, x1, y1 + 1) + fx * fy * at(img, off, w, h, x1 + 1, y1 + 1));
    }

    private static float at(float[] img, int off, int w, int h, int x, int y) {
        return x < 0 || y < 0 || x >= w || y >= h ? 0f : img[off + y * w + x];
    }
}
