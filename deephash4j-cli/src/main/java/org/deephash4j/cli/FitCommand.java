package org.deephash4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.protocol.Protocol;
import org.deephash4j.data.protocol.Split;
import org.deephash4j.eval.HashingExperiment;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashMethod;
import org.deephash4j.hash.HashModels;
import org.deephash4j.hash.classic.ClassicMethods;
import org.deephash4j.hash.classic.Itq;
import org.deephash4j.hash.deep.DeepHashFunction;
import org.deephash4j.hash.deep.DeepMethods;
import org.deephash4j.hash.deep.DeepRecipe;
import org.deephash4j.hash.deep.Training;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deephash fit}: learn a hash function on the protocol's training items and save it. A deep
 * method trains with its defaults changed by the settings given ({@link DeepSettingOptions}),
 * optionally evaluating every N epochs; the last epoch is reported first, the best beside it (chosen
 * on the query set, so optimistic).
 */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Fit a hash function on the protocol's training items and save it (.dhm).",
            "Features: pixels scaled to [0, 1] for image data sets, or any .npy feature matrix.",
            "Deep methods take the settings below; each option names the methods that have it and their defaults."})
final class FitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--method"}, required = true, paramLabel = "METHOD",
            description = "lsh, pcah, itq, sh (classic); orthohash (deep, supervised); nsh, contrastive, wch (deep, unsupervised); "
                + "or a named variant (deephash methods lists them all).")
    String method;

    @Option(names = {"-b", "--bits"}, required = true, paramLabel = "BITS", description = "Code length: a multiple of 8, at most 1024.")
    int bits;

    @Mixin
    DataOptions data;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--iterations", defaultValue = "" + Itq.DEFAULT_ITERATIONS, description = "itq: rotation updates (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Model file to write (.dhm).")
    Path output;

    @Option(names = "--backbone", paramLabel = "NAME", description = "Deep methods' backbone: cnn (images, default), resnet (ResNet-20), "
            + "vit (small vision transformer), mlp (default for .npy feature vectors), mobilenetv2 or mobilenetv2:block_N (the "
            + "ImageNet-pretrained MobileNetV2, frozen unless --backbone-lr-scale; block_10 is its last pure-ImageNet stage; give "
            + "--shape 3x64x64 or larger), or torchscript:FILE (your TorchScript module: "
            + "pixels in [0, 1] as N x C x H x W in, N x D features or N x D x H x W maps out; fine-tuned).")
    String backbone;

    @Option(names = "--eval-every", defaultValue = "0", paramLabel = "N",
            description = "Deep methods: evaluate on the protocol's queries and database every N epochs (0: only at the end).")
    int evalEvery;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Deep methods' training checkpoint (default: the output file + .ckpt).")
    Path checkpoint;

    @Option(names = "--checkpoint-every", defaultValue = "5", paramLabel = "N",
            description = "Save a checkpoint every N epochs, and always on interrupt (default: ${DEFAULT-VALUE}; 0: only on interrupt).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue exactly where an interrupted run with the same settings stopped.")
    boolean resume;

    @Option(names = "--show-config", description = "Print the configuration that would train, as JSON, and exit without training.")
    boolean showConfig;

    @Override
    public Integer call() throws Exception {
        BinaryCodes.checkBits(bits);
        Map<String, String> settings = DeepSettingOptions.given(spec.commandLine().getParseResult());
        if (!DeepMethods.isDeep(method)) {
            if (!settings.isEmpty()) {
                throw new IllegalArgumentException("--" + settings.keySet().iterator().next() + " is a setting of the deep methods; "
                        + method + " has none");
            }
            return fitClassic();
        }
        FeatureInput in = data.load();
        String net = backbone != null ? backbone : data.data.endsWith(".npy") ? "mlp" : "cnn";
        DeepRecipe<?> recipe = DeepMethods.recipe(method, bits, net, in.shape(), seed).set(settings);
        if (showConfig) {
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(recipe.config().describe()));
            return 0;
        }
        return new DeepFit(recipe, in, data.protocol(in)).run(this);
    }

    private int fitClassic() throws Exception {
        HashMethod m = method.equalsIgnoreCase("itq") ? new Itq(iterations) : ClassicMethods.byName(method);
        FeatureInput in = data.load();
        Protocol p = data.protocol(in);
        FeatureMatrix train = p == null ? in.decodedFeatures() : in.features().rows(in.split(p).train());
        System.err.printf(Locale.ROOT, "[fit] %s, %d bits, on %d training items of %s (%d dimensions)%n", m.name(), bits, train.rows(),
                in.name(), train.columns());
        long t0 = System.nanoTime();
        HashFunction f = m.fit(train, bits, seed);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> provenance = new LinkedHashMap<>(in.describe(p, train.rows()));
        provenance.put("seed", seed);
        if (m instanceof Itq) {
            provenance.put("iterations", iterations);
        }
        HashModels.save(output, f, provenance);
        System.err.printf(Locale.ROOT, "[fit] fitted in %.2f s; model saved to %s%n", seconds, output.toAbsolutePath());
        if (p != null && in.labels() != null) {
            System.err.println("[fit] on protocol " + p.name() + ": " + EpochReport.figures(HashingExperiment.evaluate(f, in.features(),
                    in.labels(), in.split(p))));
        }
        return 0;
    }

    /** Training one deep recipe, with per-epoch evaluation and checkpoints. */
    private record DeepFit(DeepRecipe<?> recipe, FeatureInput in, Protocol protocol) {

        int run(FitCommand cmd) throws Exception {
            boolean supervised = recipe.method().supervised();
            if (supervised && in.labels() == null) {
                throw new IllegalArgumentException(recipe.name() + " is supervised: give --labels with the features");
            }
            if (supervised && protocol == null) {
                throw new IllegalArgumentException(recipe.name() + " needs a protocol (query / train / database): give --protocol");
            }
            Split split = protocol == null ? null : in.split(protocol);
            FeatureMatrix train = split == null ? in.decodedFeatures() : in.features().rows(split.train());
            Training.Settings s = recipe.config().training();
            System.err.printf(Locale.ROOT, "[fit] %s, %d bits, %s backbone, on %d training items of %s (%s), %d epochs, augmentation: %s%n",
                    recipe.name(), cmd.bits, recipe.config().backbone(), train.rows(), in.name(), in.shape(), s.epochs(),
                    s.augmentation().description());
            boolean canEvaluate = split != null && in.labels() != null;
            Path ckpt = cmd.checkpoint != null ? cmd.checkpoint : cmd.output.resolveSibling(cmd.output.getFileName() + ".ckpt");
            if (cmd.resume && !Files.exists(ckpt)) {
                throw new IllegalArgumentException("--resume: no checkpoint " + ckpt);
            }
            EpochReport report = new EpochReport(s.epochs(), cmd.evalEvery, true, canEvaluate ? (f -> HashingExperiment.evaluate(f,
                    in.features(), in.labels(), split)) : null);
            long t0 = System.nanoTime();
            DeepHashFunction model;
            try {
                model = recipe.train(train, split == null ? in.decodedLabels() : in.labels().subset(split.train()), in.shape(), report,
                        new ConsoleProgress(), new Training.Checkpoints(ckpt, cmd.checkpointEvery, cmd.resume, 0));
            } catch (Training.Stopped stopped) {
                if (!stopped.bySignal()) {
                    System.err.println("[fit] " + stopped.describe());
                }
                return 1;
            }
            Files.deleteIfExists(ckpt);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> provenance = new LinkedHashMap<>(in.describe(protocol, train.rows()));
            provenance.put("recipe", recipe.name());
            provenance.put("training_seconds", seconds);
            if (!canEvaluate) {
                double imbalance = model.encode(train, null).bitImbalance();
                provenance.put("bit_imbalance", imbalance);
                System.err.printf(Locale.ROOT, "[fit] bit imbalance of the codes of all %d items: %.3f%n", train.rows(), imbalance);
                if (BinaryCodes.isCollapsed(imbalance)) {
                    System.err.println(EpochReport.collapseWarning(imbalance));
                }
            }
            HashModels.save(cmd.output, model, provenance);
            System.err.printf(Locale.ROOT, "[fit] trained in %.1f s; model saved to %s%n", seconds, cmd.output.toAbsolutePath());
            return 0;
        }
    }
}
