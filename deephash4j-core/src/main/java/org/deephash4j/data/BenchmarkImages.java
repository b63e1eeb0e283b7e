package org.deephash4j.data;

import java.util.List;

/**
 * A benchmark image set in its official order: the official training images first (positions
 * 0..trainSize-1), then the official test images. Protocols draw their splits from this order. Image
 * files that could not be decoded are not in it; they are listed in {@code skipped}.
 */
public record BenchmarkImages(InMemoryImageDataset images, int trainSize, List<ImageFileDataset.Skipped> skipped) {

    public BenchmarkImages {
        if (trainSize < 0 || trainSize > images.size()) {
            throw new IllegalArgumentException("train size " + trainSize + " outside [0, " + images.size() + "]");
        }
        skipped = List.copyOf(skipped);
    }

    /** A set whose every image was read. */
    public BenchmarkImages(InMemoryImageDataset images, int trainSize) {
        this(images, trainSize, List.of());
    }

    /** Number of official test images. */
    public int testSize() {
        return images.size() - trainSize;
    }
}
