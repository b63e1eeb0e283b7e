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
import org.deephash4j.hash.deep.Wch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deephash fit}: learn a hash function and save it as a model file. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit a hash function on the protocol's training items and save it (.dhm).",
            "Features: pixels scaled to [0, 1] for image data sets, or any .npy feature matrix."})
final class FitCommand implements Callable<Integer> {

    @Option(names = {"-m", "--method"}, required = true, paramLabel = "METHOD", description = "lsh, pcah, itq, sh; orthohash (deep, supervised); nsh, contrastive, wch (deep, unsupervised).")
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

    @picocli.CommandLine.ArgGroup(exclusive = false, heading = "%nDeep methods (orthohash, nsh, contrastive, wch):%n")
    DeepOptions deep = new DeepOptions();

    @picocli.CommandLine.ArgGroup(exclusive = false, heading = "%nOrthoHash:%n")
    OrthoHashOptions orthohash = new OrthoHashOptions();

    @picocli.CommandLine.ArgGroup(exclusive = false, heading = "%nUnsupervised methods (nsh, contrastive, wch):%n")
    UnsupervisedOptions unsupervised = new UnsupervisedOptions();

    /** Options of every deep method; an option left out takes the method's default. */
    static final class DeepOptions {
        @Option(names = "--backbone", paramLabel = "NAME", description = "cnn (images, default), resnet (ResNet-20), vit (small vision "
                + "transformer), mlp (feature vectors), or torchscript:FILE (your TorchScript module: pixels in [0, 1] as N x C x H x W "
                + "in, N x D features or N x D x H x W maps out; fine-tuned).")
        String backbone;

        @Option(names = "--augment", paramLabel = "none|digits|natural|mocov2|SPEC",
                description = "Training-view augmentation: digits = resized crop + rotation 10; natural = crop, flip, jitter, grey, blur; "
                    + "mocov2 = SDC's two different views; or a SPEC such as crop=0.8-1,rotate=10 (keys crop=MIN-MAX, rotate=DEG, "
                    + "flip=P, jitter=S[@P], grey=P, blur=P). Default: none for orthohash; digits for one-channel images; for colour "
                    + "images mocov2 for nsh and contrastive, natural for wch.")
        String augment;

        @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "adam|sgd", description = "Optimiser (default: ${DEFAULT-VALUE}).")
        String optimizer = "adam";

        @Option(names = "--schedule", paramLabel = "step|cosine|constant",
                description = "Learning-rate schedule: x0.1 after 80 %% of the epochs, cosine, or constant (default: step for orthohash, constant for nsh and contrastive).")
        String schedule;

        @Option(names = "--epochs", defaultValue = "30", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs = 30;

        @Option(names = "--batch-size", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batchSize = 64;

        @Option(names = "--lr", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
        float lr = 1e-3f;

        @Option(names = "--backbone-lr-scale", paramLabel = "S", description = "Backbone learning-rate factor; 0 freezes it (default: 1; 0.1 for "
                + "a torchscript: backbone).")
        Float backboneLrScale;

        @Option(names = "--weight-decay", paramLabel = "WD", description = "L2 weight decay (default: 0.0005 for orthohash, 0 for nsh and contrastive).")
        Float weightDecay;

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

        @Option(names = "--recalibrate-bn", negatable = true, description = "Before every evaluation and before saving, re-estimate the "
                + "BatchNorm statistics on the un-augmented training images instead of keeping those of the last augmented batches "
                + "(default: on for nsh, contrastive and wch, off for orthohash).")
        Boolean recalibrateBn;
    }

    /** OrthoHash's options. */
    static final class OrthoHashOptions {
        @Option(names = "--scale", defaultValue = "8", paramLabel = "S|sqrt", description = "Cosine scale s, or 'sqrt' for the paper's sqrt(bits) (default: ${DEFAULT-VALUE}).")
        String scale = "8";

        @Option(names = "--margin", defaultValue = "0.2", description = "Margin m (default: ${DEFAULT-VALUE}).")
        float margin = 0.2f;

        @Option(names = "--arc", description = "OrthoArc: angular margin instead of the cosine margin.")
        boolean arc;

        @Option(names = "--target-codes", defaultValue = "bernoulli", paramLabel = "KIND", description = "bernoulli, maxhd or hadamard (default: ${DEFAULT-VALUE}).")
        String targetCodes = "bernoulli";
    }

    /** Options of NSH, the contrastive baseline and WCH (methods.md §2, §3, §7). */
    static final class UnsupervisedOptions {
        @Option(names = "--balance", defaultValue = "bn", paramLabel = "bn|none",
                description = "nsh, contrastive, wch: bit balance by BatchNorm without affine parameters before tanh, or none (default: ${DEFAULT-VALUE}).")
        String balance = "bn";

        @Option(names = "--positives", defaultValue = "2", paramLabel = "M", description = "nsh: ranks counted as positives in SortedNCE (default: ${DEFAULT-VALUE}).")
        int positives = 2;

        @Option(names = "--tau-nce", defaultValue = "0.3", paramLabel = "T",
                description = "nsh: SortedNCE temperature; contrastive: NT-Xent temperature; wch: code-similarity temperature (default: ${DEFAULT-VALUE}).")
        float tauNce = 0.3f;

        @Option(names = "--tau-sort", paramLabel = "T", description = "nsh: SoftSort temperature (default: 1/bits, the spec's; "
                + "for codes shorter than 64 bits 0.015625 = 1/64 trains far better from scratch, see the README).")
        Float tauSort;

        @Option(names = "--hard-sort", description = "nsh: straight-through hard permutation in SoftSort.")
        boolean hardSort;

        @Option(names = "--score", defaultValue = "dot", paramLabel = "dot|cosine", description = "nsh: score of a sorted latent (default: ${DEFAULT-VALUE}).")
        String score = "dot";

        @Option(names = "--double-softmax", description = "nsh: SortedNCE with the re-implementations' softmax before the cross-entropy.")
        boolean doubleSoftmax;

        @Option(names = "--no-sort", description = "nsh ablation: no sort; InfoNCE on the latents, codes learn from the quantisation loss only.")
        boolean noSort;

        @Option(names = "--latent-dim", defaultValue = "128", paramLabel = "D", description = "nsh: latent head width (default: ${DEFAULT-VALUE}).")
        int latentDim = 128;

        @Option(names = "--straight-through", description = "contrastive: sign codes with tanh's gradient instead of tanh codes.")
        boolean straightThrough;

        @Option(names = "--quantisation-weight", defaultValue = "1", paramLabel = "W",
                description = "nsh, contrastive: weight of the quantisation loss; wch: of the bit-balance term (default: ${DEFAULT-VALUE}).")
        float quantisationWeight = 1f;

        @Option(names = "--no-attention", description = "wch ablation: no mutual attention (each view pools its own tokens).")
        boolean noAttention;

        @Option(names = "--no-weights", description = "wch ablation: one-hot targets instead of the weighted similarity (plain contrastive).")
        boolean noWeights;

        @Option(names = "--attention-temperature", defaultValue = "" + Wch.FROM_SCRATCH_ATTENTION_TEMPERATURE, paramLabel = "T",
                description = "wch: mutual attention temperature (default: ${DEFAULT-VALUE}, tuned for training from scratch; the official "
                    + "code's is 1).")
        float attentionTemperature = Wch.FROM_SCRATCH_ATTENTION_TEMPERATURE;

        @Option(names = "--weight-temperature", paramLabel = "T",
                description = "wch: weighted-similarity softmax temperature T_w (default: " + Wch.FROM_SCRATCH_WEIGHT_TEMPERATURE
                    + " with the linear head, " + Wch.MLP_HEAD_WEIGHT_TEMPERATURE + " with the MLP head, tuned for training from "
                    + "scratch; the official code's is 0.2).")
        Float weightTemperature;

        @Option(names = "--attention", defaultValue = "parameter-free", paramLabel = "parameter-free|learned",
                description = "wch: the mutual attention: the official parameter-free one, or learned Q/K/V projections with a residual and "
                    + "LayerNorm (default: ${DEFAULT-VALUE}).")
        String attention = "parameter-free";

        @Option(names = "--attended-encoding", description = "wch: at encoding time the image's tokens attend to themselves before "
                + "pooling, like the training views' (the official code pools the raw tokens).")
        boolean attendedEncoding;

        @Option(names = "--detach-weights", description = "wch: stop-gradient on the weights (the official code lets gradients through).")
        boolean detachWeights;

        @Option(names = "--normalise-weights", description = "wch: re-normalise each row of weights to sum 1 (off in the official code).")
        boolean normaliseWeights;

        @Option(names = "--head", defaultValue = "linear", paramLabel = "linear|mlp",
                description = "wch: the hash head on the pooled tokens: the NSH and contrastive baselines' single linear layer, or the "
                    + "official MLP (LayerNorm, 1024, ReLU, linear), which trains far worse from scratch; --balance applies to both "
                    + "(default: ${DEFAULT-VALUE}).")
        String head = "linear";

        @Option(names = "--tanh-codes", description = "wch: train on the tanh codes instead of straight-through signs (the official "
                + "code's), as the contrastive baseline does.")
        boolean tanhCodes;

        @Option(names = "--symmetric", description = "wch: the loss in both directions (view 2 against view 1 with the transposed "
                + "weights too), as NT-Xent; the official code uses view 1 against view 2 only.")
        boolean symmetric;
    }

    @Override
    public Integer call() throws Exception {
        org.deephash4j.codes.BinaryCodes.checkBits(bits);
        if (org.deephash4j.hash.deep.DeepMethods.isDeep(method)) {
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
