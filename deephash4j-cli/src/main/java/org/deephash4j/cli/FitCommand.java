package org.deephash4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.protocol.Protocol;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashMethod;
import org.deephash4j.hash.HashModels;
import org.deephash4j.hash.classic.ClassicMethods;
import org.deephash4j.hash.classic.Itq;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deephash fit}: learn a hash function and save it as a model file. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit a hash function on the protocol's training items and save it (.dhm).",
            "Features: pixels scaled to [0, 1] for image data sets, or any .npy feature matrix."})
final class FitCommand implements Callable<Integer> {

    @Option(names = {"-m", "--method"}, required = true, paramLabel = "METHOD", description = "lsh, pcah, itq, sh, or orthohash (deep, supervised).")
    String method;

    @Option(names = {"-b", "--bits"}, required = true, paramLabel = "BITS", description = "Code length: a multiple of 8, at most 1024.")
    int bits;

    @Option(names = {"-d", "--data"}, required = true, paramLabel = "DATA",
            description = "A known data set, a folder with MNIST-style IDX files, or a .npy feature matrix.")
    String data;

    @Option(names = "--labels", paramLabel = "FILE", description = "Labels (.npy) of a .npy feature matrix, for protocols.")
    Path labels;

    @Option(names = {"-p", "--protocol"}, paramLabel = "PROTOCOL",
            description = "Fit on this protocol's training items (default: the data set's own protocol; all items if it has none).")
    String protocol;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (LSH projections, ITQ's initial rotation). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--iterations", defaultValue = "" + Itq.DEFAULT_ITERATIONS,
            description = "ITQ rotation updates (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Model file to write (.dhm).")
    Path output;

    @picocli.CommandLine.ArgGroup(exclusive = false, heading = "%nDeep methods (orthohash):%n")
    DeepOptions deep = new DeepOptions();

    /** Options of the deep methods. */
    static final class DeepOptions {
        @Option(names = "--backbone", paramLabel = "NAME", description = "cnn (images, default), resnet (ResNet-20) or mlp (feature vectors).")
        String backbone;

        @Option(names = "--augment", defaultValue = "none", paramLabel = "none|digits|natural",
                description = "Training-view augmentation: digits = resized crop + rotation 10; natural = crop, flip, jitter, grey, blur (default: ${DEFAULT-VALUE}).")
        String augment = "none";

        @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "adam|sgd", description = "Optimiser (default: ${DEFAULT-VALUE}).")
        String optimizer = "adam";

        @Option(names = "--schedule", defaultValue = "step", paramLabel = "step|cosine",
                description = "Learning-rate schedule: x0.1 after 80 %% of the epochs, or cosine (default: ${DEFAULT-VALUE}).")
        String schedule = "step";

        @Option(names = "--epochs", defaultValue = "30", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs = 30;

        @Option(names = "--batch-size", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batchSize = 64;

        @Option(names = "--lr", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
        float lr = 1e-3f;

        @Option(names = "--backbone-lr-scale", defaultValue = "1", description = "Backbone learning-rate factor (default: ${DEFAULT-VALUE}; 0.1 for a pre-trained backbone).")
        float backboneLrScale = 1f;

        @Option(names = "--weight-decay", defaultValue = "0.0005", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
        float weightDecay = 5e-4f;

        @Option(names = "--scale", defaultValue = "8", paramLabel = "S|sqrt", description = "Cosine scale s, or 'sqrt' for the paper's sqrt(bits) (default: ${DEFAULT-VALUE}).")
        String scale = "8";

        @Option(names = "--margin", defaultValue = "0.2", description = "Margin m (default: ${DEFAULT-VALUE}).")
        float margin = 0.2f;

        @Option(names = "--arc", description = "OrthoArc: angular margin instead of the cosine margin.")
        boolean arc;

        @Option(names = "--target-codes", defaultValue = "bernoulli", paramLabel = "KIND", description = "bernoulli, maxhd or hadamard (default: ${DEFAULT-VALUE}).")
        String targetCodes = "bernoulli";

        @Option(names = "--eval-every", defaultValue = "0", paramLabel = "N",
                description = "Evaluate on the protocol's queries and database every N epochs (0: only at the end).")
        int evalEvery;

        @Option(names = "--checkpoint", paramLabel = "FILE", description = "Training checkpoint (default: the output file + .ckpt).")
        Path checkpoint;

        @Option(names = "--checkpoint-every", defaultValue = "5", paramLabel = "N",
                description = "Save a checkpoint every N epochs, and always on interrupt (default: ${DEFAULT-VALUE}; 0: only on interrupt).")
        int checkpointEvery = 5;

        @Option(names = "--resume", description = "Continue exactly where an interrupted run with the same settings stopped.")
        boolean resume;
    }

    @Override
    public Integer call() throws Exception {
        org.deephash4j.codes.BinaryCodes.checkBits(bits);
        if (method.equalsIgnoreCase("orthohash")) {
            return new DeepFit(this).run();
        }
        HashMethod m = method.equalsIgnoreCase("itq") ? new Itq(iterations) : ClassicMethods.byName(method);
        FeatureInput in = FeatureInput.load(data, labels);
        Protocol p = in.protocol(protocol);
        FeatureMatrix train = p == null ? in.features() : in.features().rows(in.split(p).train());
        System.err.printf(Locale.ROOT, "[fit] %s, %d bits, on %d training items of %s (%d dimensions)%n", m.name(), bits, train.rows(),
                in.name(), train.columns());
        long t0 = System.nanoTime();
        HashFunction f = m.fit(train, bits, seed);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> provenance = new java.util.LinkedHashMap<>(in.describe(p, train.rows()));
        provenance.put("seed", seed);
        if (m instanceof Itq) {
            provenance.put("iterations", iterations);
        }
        HashModels.save(output, f, provenance);
        System.err.printf(Locale.ROOT, "[fit] fitted in %.2f s; model saved to %s%n", seconds, output.toAbsolutePath());
        return 0;
    }
}
