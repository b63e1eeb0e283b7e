package org.deephash4j.data.augment;

import org.deephash4j.data.ImageShape;
import org.deephash4j.util.SeededRandom;

/** Mirrors the image left to right with probability {@code p}. */
public record HorizontalFlip(double p) implements Transform {

    @Override
    public void apply(float[] src, float[] dst, ImageShape shape, SeededRandom r) {
        boolean flip = r.nextDouble() < p;
        int w = shape.width();
        int rows = shape.channels() * shape.height();
        for (int row = 0; row < rows; row++) {
            int o = row * w;
            for (int x = 0; x < w; x++) {
                dst[o + x] = src[o + (flip ? w - 1 - x : x)];
            }
        }
    }
}
