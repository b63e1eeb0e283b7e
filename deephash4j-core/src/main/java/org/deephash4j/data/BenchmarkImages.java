package org.deephash4j.data;

/**
 * A benchmark image set in its official order: the official training images first (positions
 * 0..trainSize-1), then the official test images. Protocols draw their splits from this order.
 */
public record BenchmarkImages(InMemoryImageDataset images, int trainSize) {

    public BenchmarkImages {
        if (trainSize < 0 || trainSize > images.size()) {
            throw new IllegalArgumentException("train size " + trainSize + " outside [0, " + images.size() + "]");
        }
    }

    /** Number of official test images. */
    public int testSize() {
        return images.size() - trainSize;
    }
}
