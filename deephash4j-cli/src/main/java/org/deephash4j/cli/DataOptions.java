package org.deephash4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.BitOrder;
import org.deephash4j.codes.CodeFiles;
import org.deephash4j.data.ImageFileDataset;
import org.deephash4j.data.fetch.DatasetRepository;
import org.deephash4j.hash.BatchEncoder;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.data.protocol.Protocol;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The options that say which data a command works on and how it is split (a picocli mixin). */
final class DataOptions {

    @Option(names = {"-d", "--data"}, required = true, paramLabel = "DATA",
            description = "A known data set; a folder with MNIST-style IDX files, or of images (a sub-folder per class, or "
                + "unlabelled); a list file (.txt: image path and 0/1 labels per line); or a .npy feature matrix.")
    String data;

    @Option(names = "--labels", paramLabel = "FILE", description = "Labels (.npy) of a .npy feature matrix, for protocols.")
    Path labels;

    @Option(names = {"-p", "--protocol"}, paramLabel = "PROTOCOL",
            description = "Protocol splitting the data into queries, training and database items (default: the data set's own; "
                + "none for a .npy matrix).")
    String protocol;

    // a group, not a mixin: this class is itself an argument group in eval, and groups cannot hold mixins
    @ArgGroup(exclusive = false)
    ImageOptions images;

    /** The data. */
    FeatureInput load() throws IOException {
        return FeatureInput.load(data, labels, imageOptions());
    }

    /** The protocol given, else the data set's own, else {@code null}. */
    Protocol protocol(FeatureInput in) throws IOException {
        return in.protocol(protocol);
    }

    /** The protocol given, else the data set's own, else {@code null}. */
    Protocol protocol(ItemCodes in) throws IOException {
        return FeatureInput.protocol(protocol, in.name());
    }

    /**
     * Every item encoded with {@code model} (read from {@code modelFile}). Image files are decoded and
     * encoded a batch at a time, so memory holds one batch of pixels whatever their number.
     */
    ItemCodes encode(HashFunction model, Path modelFile) throws IOException {
        Optional<DatasetRepository.ImageFiles> files = imageFiles();
        if (files.isEmpty()) {
            FeatureInput in = load();
            in.requireInputOf(model, modelFile);
            return new ItemCodes(in.name(), model.encode(in.features(), null), in.features().rows(), in.labels(),
                    in.officialTrainSize(), List.of());
        }
        ImageFileDataset images = files.get().files();
        FeatureInput.requireInput(model, modelFile, images.fixedShape().orElseThrow().pixels(), "pixels of images of shape "
                + images.fixedShape().get());
        List<ImageFileDataset.Skipped> skipped = new ArrayList<>();
        BinaryCodes codes = BatchEncoder.encode(model, images, BatchEncoder.DEFAULT_BATCH, imageOptions().strict
                || files.get().complete(), skipped, new ConsoleProgress());
        FeatureInput.reportSkipped(skipped);
        return new ItemCodes(images.name(), codes, images.size(), images.labels(), images.size(), skipped);
    }

    /** The items with the codes read from {@code file}; image files are listed, not decoded. */
    ItemCodes withCodes(Path file, BitOrder order) throws IOException {
        BinaryCodes codes = CodeFiles.read(file, order);
        Optional<DatasetRepository.ImageFiles> files = imageFiles();
        if (files.isPresent()) {
            ImageFileDataset images = files.get().files();
            return ItemCodes.fromFile(file, codes, images.name(), images.size(), images.labels(), images.size());
        }
        FeatureInput in = load();
        return ItemCodes.fromFile(file, codes, in.name(), in.features().rows(), in.labels(), in.officialTrainSize());
    }

    private Optional<DatasetRepository.ImageFiles> imageFiles() throws IOException {
        if (data.endsWith(".npy")) {
            return Optional.empty();
        }
        if (labels != null) {
            throw new IllegalArgumentException("--labels applies to .npy feature files; image data sets carry their labels");
        }
        return DatasetRepository.standard().imageFiles(data, imageOptions().shape(), new ConsoleProgress());
    }

    private ImageOptions imageOptions() {
        return images != null ? images : new ImageOptions();
    }
}
