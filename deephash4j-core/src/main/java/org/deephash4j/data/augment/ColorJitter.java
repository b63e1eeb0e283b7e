package org.deephash4j.data.augment;

import org.deephash4j.data.ImageShape;
import org.deephash4j.util.SeededRandom;

/**
 * With probability {@code p}: brightness (scale by a factor in [1-b, 1+b]), contrast (blend with the
 * mean grey level by a factor in [1-c, 1+c]) and, for colour images, saturation (blend with the grey
 * version by a factor in [1-s, 1+s]) and hue (rotate every pixel's hue by a shift in [-h, h] of the
 * colour circle, as torchvision's {@code ColorJitter(hue=h)}), in that order; values clamped to [0, 1].
 */
public record ColorJitter(double brightness, double contrast, double saturation, double hue, double p) implements Transform {

    public ColorJitter {
        if (brightness < 0 || contrast < 0 || saturation < 0 || hue < 0 || hue > 0.5 || p < 0 || p > 1) {
            throw new IllegalArgumentException("invalid colour jitter: brightness " + brightness + ", contrast " + contrast
                    + ", saturation " + saturation + ", hue " + hue + " (at most 0.5), p " + p);
        }
    }

    /** Without a hue shift. */
    public ColorJitter(double brightness, double contrast, double saturation, double p) {
        this(brightness, contrast, saturation, 0, p);
    }

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
            if (hue > 0) {
                shiftHue(dst, plane, hue * (2 * r.nextDouble() - 1));
            }
        }
    }

    /** Rotates the hue of every pixel of a CHW RGB image by {@code shift} turns (HSV round trip). */
    static void shiftHue(float[] rgb, int plane, double shift) {
        for (int i = 0; i < plane; i++) {
            double red = rgb[i];
            double green = rgb[plane + i];
            double blue = rgb[2 * plane + i];
            double max = Math.max(red, Math.max(green, blue));
            double min = Math.min(red, Math.min(green, blue));
            double chroma = max - min;
            if (chroma <= 0) {
                continue; // grey: no hue to turn
            }
            double h;
            if (max == red) {
                h = ((green - blue) / chroma) / 6;
            } else if (max == green) {
                h = ((blue - red) / chroma + 2) / 6;
            } else {
                h = ((red - green) / chroma + 4) / 6;
            }
            h = h + shift;
            h -= Math.floor(h);
            double sector = h * 6;
            double x = chroma * (1 - Math.abs(sector % 2 - 1));
            double r1;
            double g1;
            double b1;
            switch ((int) sector) {
                case 0 -> { r1 = chroma; g1 = x; b1 = 0; }
                case 1 -> { r1 = x; g1 = chroma; b1 = 0; }
                case 2 -> { r1 = 0; g1 = chroma; b1 = x; }
                case 3 -> { r1 = 0; g1 = x; b1 = chroma; }
                case 4 -> { r1 = x; g1 = 0; b1 = chroma; }
                default -> { r1 = chroma; g1 = 0; b1 = x; }
            }
            rgb[i] = clamp(r1 + min);
            rgb[plane + i] = clamp(g1 + min);
            rgb[2 * plane + i] = clamp(b1 + min);
        }
    }

    private static float clamp(double v) {
        return (float) Math.max(0, Math.min(1, v));
    }
}
