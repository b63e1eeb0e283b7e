package org.deephash4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.data.BenchmarkImages;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageFileDataset;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.fetch.DatasetRepository;
import org.deephash4j.data.io.NpyDataReader;
import org.deephash4j.data.protocol.Protocol;
import org.deephash4j.data.protocol.Protocols;
import org.deephash4j.data.protocol.Split;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.io.MalformedFileException;

/**
 * The features a command works on: the pixels (scaled to [0, 1]) of an image data set (a known name,
 * an MNIST-style folder, a folder of image files or a list file), or a {@code .npy} feature matrix with
 * optional {@code .npy} labels. Item ids are row positions; an image that could not be decoded keeps its
 * position (blank pixels) and is left out of splits and of {@link #decodedFeatures}.
 *
 * @param labels {@code null} for a feature matrix given without labels
 * @param officialTrainSize items before this position are the official training set (all of them for .npy)
 * @param shape the input shape: the images' for an image data set, 1 x 1 x d for feature vectors
 * @param skipped image files left out because they could not be decoded
 */
record FeatureInput(String name, FeatureMatrix features, MultiHotLabels labels, int officialTrainSize, String description,
        ImageShape shape, List<ImageFileDataset.Skipped> skipped) {

    static FeatureInput load(String spec, Path labelsFile, ImageOptions images) throws IOException {
        if (spec.endsWith(".npy")) {
            FeatureMatrix f = NpyDataReader.readFeatures(Path.of(spec));
            MultiHotLabels l = labelsFile == null ? null : NpyDataReader.readLabels(labelsFile, 0);
            if (l != null && l.size() != f.rows()) {
                throw new MalformedFileException(labelsFile, l.size() + " labels, but " + spec + " has " + f.rows() + " rows");
            }
            ImageShape shape = images.shape() != null ? images.shape() : new ImageShape(1, 1, f.columns());
            if (shape.pixels() != f.columns()) {
                throw new IllegalArgumentException("--shape " + shape + " has " + shape.pixels() + " values, but the rows of " + spec
                        + " have " + f.columns());
            }
            String name = Path.of(spec).getFileName().toString().replaceFirst("\\.npy$", "");
            return new FeatureInput(name, f, l, f.rows(), "features from " + spec, shape, List.of());
        }
        if (labelsFile != null) {
            throw new IllegalArgumentException("--labels applies to .npy feature files; image data sets carry their labels");
        }
        BenchmarkImages b = DatasetRepository.standard().load(spec, images.shape(), images.strict, new ConsoleProgress());
        reportSkipped(b.skipped());
        return new FeatureInput(b.images().name(), b.images().pixelFeatures(), b.images().labels(), b.trainSize(),
                "pixels / 255", b.images().fixedShape().orElseThrow(), b.skipped());
    }

    /** Lists the image files left out (the first 20 on the console; all of them in the provenance of what is written). */
    static void reportSkipped(List<ImageFileDataset.Skipped> skipped) {
        if (skipped.isEmpty()) {
            return;
        }
        System.err.println("[data] skipped " + skipped.size() + " image file(s) that could not be decoded (--strict refuses them):");
        skipped.stream().limit(20).forEach(s -> System.err.println("  " + s.reason()));
        if (skipped.size() > 20) {
            System.err.println("  ... and " + (skipped.size() - 20) + " more");
        }
    }

    /**
     * Checks that {@code model} (read from {@code modelFile}) takes these features, naming both when not:
     * features of another kind than the model was fitted on are a wrong input, not a bad option.
     */
    void requireInputOf(HashFunction model, Path modelFile) throws MalformedFileException {
        requireInput(model, modelFile, features.columns(), description);
    }

    /** Checks that {@code model} takes {@code columns}-dimensional input ({@code description}). */
    static void requireInput(HashFunction model, Path modelFile, int columns, String description) throws MalformedFileException {
        if (model.inputDimension() != columns) {
            throw new MalformedFileException(modelFile, model.method() + " model fitted on " + model.inputDimension()
                    + "-dimensional input, but the data (" + description + ") is " + columns + "-dimensional");
        }
    }

    /** The protocol named {@code spec}, else this data set's own if it has one, else {@code null}. */
    Protocol protocol(String spec) throws IOException {
        return protocol(spec, name);
    }

    /** The protocol named {@code spec}, else the one named after data set {@code name}, else {@code null}. */
    static Protocol protocol(String spec, String name) throws IOException {
        if (spec != null) {
            return Protocols.parse(spec);
        }
        return Protocols.names().contains(name) ? Protocols.parse(name) : null;
    }

    /** The split of {@code protocol}, without the images that could not be decoded; needs labels. */
    Split split(Protocol protocol) {
        if (labels == null) {
            throw new IllegalArgumentException("protocol " + protocol.name() + " needs labels: give --labels with the features");
        }
        return protocol.split(labels, officialTrainSize).without(BenchmarkImages.skippedPositions(skipped));
    }

    /** The features of every item that has them (all but the images that could not be decoded). */
    FeatureMatrix decodedFeatures() {
        return skipped.isEmpty() ? features : features.rows(decoded());
    }

    /** The labels of {@link #decodedFeatures}, or {@code null} without labels. */
    MultiHotLabels decodedLabels() {
        return labels == null || skipped.isEmpty() ? labels : labels.subset(decoded());
    }

    private int[] decoded() {
        boolean[] skip = new boolean[features.rows()];
        skipped.forEach(s -> skip[s.position()] = true);
        return Split.positionsWhere(skip, false);
    }

    /** Provenance for saved models and reports. */
    Map<String, Object> describe(Protocol protocol, int trainItems) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", name);
        m.put("features", description);
        m.put("protocol", protocol == null ? "none: all items" : protocol.describe());
        m.put("train_items", trainItems);
        if (!skipped.isEmpty()) {
            m.put("skipped_files", skipped.stream().map(s -> s.reason()).toList());
        }
        return m;
    }
}
