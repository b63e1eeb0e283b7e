package org.deephash4j.data;

import java.util.List;
import org.deephash4j.data.protocol.Protocol;
import org.deephash4j.data.protocol.Split;

/**
 * A benchmark image set in its official order: the official training images first (positions
 * 0..trainSize-1), then the official test images. Protocols draw their splits from this order. An
 * image file that could not be decoded keeps its position (blank pixels) and is listed in
 * {@code skipped}: {@link #split} leaves it out, so positions (item ids) never depend on which files decode.
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

    /** The split of {@code protocol} over these images, without the skipped ones. */
    public Split split(Protocol protocol) {
        return protocol.split(images.labels(), trainSize).without(skippedPositions(skipped));
    }

    /** The positions of {@code skipped}, ascending. */
    public static int[] skippedPositions(List<ImageFileDataset.Skipped> skipped) {
        return skipped.stream().mapToInt(ImageFileDataset.Skipped::position).sorted().toArray();
    }

    /** Number of official test images. */
    public int testSize() {
        return images.size() - trainSize;
    }
}
