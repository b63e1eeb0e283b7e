package org.deephash4j.data.augment;

import org.deephash4j.data.ImageShape;
import org.deephash4j.util.SeededRandom;

/**
 * One random image transform: reads an image ({@code shape}, CHW floats in [0, 1]) from {@code src}
 * and writes the transformed image, of the same shape, to {@code dst}. All randomness comes from
 * {@code random}, so a transform is reproducible from its seed. {@code src} and {@code dst} differ.
 */
public interface Transform {

    void apply(float[] src, float[] dst, ImageShape shape, SeededRandom random);
}
