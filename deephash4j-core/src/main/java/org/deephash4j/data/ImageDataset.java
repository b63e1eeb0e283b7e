package org.deephash4j.data;

import java.io.IOException;
import java.util.Optional;

/**
 * Labelled images, addressed by position 0..size-1. Positions are the item ids used by protocols,
 * codes and reports. Images may live in memory or be decoded from files on demand.
 */
public interface ImageDataset {

    /** A short name for reports, e.g. {@code mnist}. */
    String name();

    /** Number of images. */
    int size();

    /** Labels of all images (multi-hot). */
    MultiHotLabels labels();

    /** The shape every image has, if they all have the same one. */
    Optional<ImageShape> fixedShape();

    /** Image {@code i}, decoded. */
    Image image(int i) throws IOException;

    /**
     * All images as a feature matrix of pixel values scaled to [0, 1], one row per image. Needs a
     * fixed shape.
     */
    default FeatureMatrix pixelFeatures() throws IOException {
        ImageShape shape = fixedShape().orElseThrow(() -> new IllegalStateException(
                name() + ": images differ in size, so they have no common pixel feature vector"));
        int d = shape.pixels();
        float[] values = new float[Math.multiplyExact(size(), d)];
        for (int i = 0; i < size(); i++) {
            FeatureMatrix.scalePixels(image(i).pixels(), 0, values, i * d, d);
        }
        return new FeatureMatrix(size(), d, values);
    }
}
