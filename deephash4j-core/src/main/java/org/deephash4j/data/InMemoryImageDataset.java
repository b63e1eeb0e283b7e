package org.deephash4j.data;

import java.util.Optional;

/** Images of one shape held in one byte array (IDX and CIFAR files are loaded this way). */
public final class InMemoryImageDataset implements ImageDataset {

    private final String name;
    private final ImageShape shape;
    private final byte[] pixels;
    private final MultiHotLabels labels;

    /** {@code pixels} holds {@code labels.size()} images of {@code shape}, one after another (not copied). */
    public InMemoryImageDataset(String name, ImageShape shape, byte[] pixels, MultiHotLabels labels) {
        if ((long) labels.size() * shape.pixels() != pixels.length) {
            throw new IllegalArgumentException(name + ": " + labels.size() + " labels but " + pixels.length / shape.pixels()
                    + " images of shape " + shape);
        }
        this.name = name;
        this.shape = shape;
        this.pixels = pixels;
        this.labels = labels;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return labels.size();
    }

    @Override
    public MultiHotLabels labels() {
        return labels;
    }

    @Override
    public Optional<ImageShape> fixedShape() {
        return Optional.of(shape);
    }

    @Override
    public Image image(int i) {
        int n = shape.pixels();
        byte[] p = new byte[n];
        System.arraycopy(pixels, i * n, p, 0, n);
        return new Image(shape, p);
    }

    @Override
    public FeatureMatrix pixelFeatures() {
        float[] values = new float[pixels.length];
        FeatureMatrix.scalePixels(pixels, 0, values, 0, pixels.length);
        return new FeatureMatrix(size(), shape.pixels(), values);
    }

    /** This data set followed by {@code other} (same shape), under a new name. */
    public InMemoryImageDataset concat(String newName, InMemoryImageDataset other) {
        if (!other.shape.equals(shape)) {
            throw new IllegalArgumentException("shapes differ: " + shape + " vs " + other.shape);
        }
        byte[] p = java.util.Arrays.copyOf(pixels, pixels.length + other.pixels.length);
        System.arraycopy(other.pixels, 0, p, pixels.length, other.pixels.length);
        return new InMemoryImageDataset(newName, shape, p, labels.concat(other.labels));
    }
}
