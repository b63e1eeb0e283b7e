package org.deephash4j.cli;

import java.io.IOException;
import java.nio.file.Path;
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
        return FeatureInput.load(data, labels, images != null ? images : new ImageOptions());
    }

    /** The protocol given, else the data set's own, else {@code null}. */
    Protocol protocol(FeatureInput in) throws IOException {
        return in.protocol(protocol);
    }
}
