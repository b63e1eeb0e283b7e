package org.deephash4j.data.augment;

import org.deephash4j.data.ImageShape;
import org.deephash4j.util.SeededRandom;

/**
 * With probability {@code p}: brightness (scale by a factor in [1-b, 1+b]), contrast (blend with the
 * mean grey level by a factor in [1-c, 1+c]) and, for colour images, saturation (blend with the grey
 * version by a factor in [1-s, 1+s]), in that order; values clamped to [0, 1]. (No hue shift.)
 */
public record ColorJitter(double brightness, double contrast, double saturation, double p) implements Transform {

    @Override
    public void apply(float[] src, float[] dst, ImageShape shape, SeededRandom r) {
        int n = shape.pixels();
        System.arraycopy(src, 0, dst, 0, n);
        if (r.nextDouble() >= p) {
            return;
        }
        double fb = 1 + brightness * (2 * r.nextDouble() - 1);
        double fc = 1 + contrast * (2 * r.nextDouble() - 1);
        double fs = 1 + saturation * (2 * r.nextDouble() - 1);
        for (int i = 0; i < n; i++) {
            dst[i] = clamp(dst[i] * fb);
        }
        int plane = shape.height() * shape.width();
        float[] grey = Gray.of(dst, shape);
        double mean = 0;
        for (int i = 0; i < plane; i++) {
            mean += grey[i];
        }
        mean /= plane;
        for (int i = 0; i < n; i++) {
            dst[i] = clamp(mean + fc * (dst[i] - mean));
        }
        if (shape.channels() == 3) {
            grey = Gray.of(dst, shape);
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < plane; i++) {
                    dst[c * plane + i] = clamp(grey[i] + fs * (dst[c * plane + i] - grey[i]));
                }
            }
        }
    }

    private static float clamp(double v) {
        return (float) Math.max(0, Math.min(1, v));
    }
}
