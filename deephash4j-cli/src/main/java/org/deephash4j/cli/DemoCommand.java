package org.deephash4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.CodeFile;
import org.deephash4j.data.BenchmarkImages;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.fetch.DatasetRepository;
import org.deephash4j.data.protocol.DatabaseTrainingProtocol;
import org.deephash4j.data.protocol.Protocol;
import org.deephash4j.data.protocol.Protocols;
import org.deephash4j.data.protocol.Split;
import org.deephash4j.data.protocol.SplitFiles;
import org.deephash4j.data.protocol.ValidationProtocol;
import org.deephash4j.eval.EvalConfig;
import org.deephash4j.eval.ChanceLevel;
import org.deephash4j.eval.EvalReport;
import org.deephash4j.eval.HashingExperiment;
import org.deephash4j.eval.ReportRun;
import org.deephash4j.data.ImageShape;
import org.deephash4j.hash.SupervisedHashMethod;
import org.deephash4j.hash.deep.DeepMethods;
import org.deephash4j.nn.PretrainedBackbone;
import org.deephash4j.hash.classic.BitsExceedDimensionException;
import org.deephash4j.hash.classic.ClassicMethods;
import org.deephash4j.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code deephash demo}: the main job end to end on the embedded default data set. Fetches the data,
 * splits it by the named protocol, fits the classic hash methods on pixels and trains the deep ones
 * (a short default run), encodes, evaluates and prints a results table; writes the table, the figures (JSON), a full evaluation report with plots, the codes
 * and the split's index lists.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the main job end to end: fetch data, split, fit, encode, evaluate, print a results table.",
            "Results, figures, a full evaluation report, the codes and the split's index lists are written to --output."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = {"-d", "--data"}, split = ",", defaultValue = "mnist", paramLabel = "DATA",
            description = "Data sets: known names, folders (MNIST-style IDX files, or images with a sub-folder per class) or "
                + "list files (.txt) (default: ${DEFAULT-VALUE}).")
    List<String> data;

    @Mixin
    ImageOptions imageOptions = new ImageOptions();

    @Option(names = {"-p", "--protocol"}, paramLabel = "PROTOCOL",
            description = "Protocol (default: each data set's own, e.g. mnist: 1,000 queries / 5,000 train / 69,000 database); "
                + "'ref' or '2': each data set's -ref or -2 variant; 'val:' before any of these: a validation split cut from "
                + "its training items, for tuning; 'db-train:' before any of these: train on the whole database "
                + "(unsupervised methods).")
    String protocol;

    /**
     * The protocol spec for data set {@code name}: its own, or its {@code ref} / {@code 2} variant, optionally
     * under {@code val:} and {@code db-train:} prefixes.
     */
    static String protocolFor(String name, String protocol) {
        if (protocol == null) {
            return name;
        }
        for (String prefix : new String[] {ValidationProtocol.PREFIX, DatabaseTrainingProtocol.PREFIX}) {
            if (protocol.startsWith(prefix)) {
                return prefix + protocolFor(name, protocol.substring(prefix.length()));
            }
        }
        return protocol.equals("ref") || protocol.equals("2") ? name + "-" + protocol : protocol;
    }

    @Option(names = {"-m", "--methods"}, split = ",", defaultValue = "lsh,pcah,itq,sh,orthohash,nsh", paramLabel = "METHOD",
            description = "Hash methods: lsh, pcah, itq, sh (classic), orthohash (deep, supervised), nsh, contrastive, wch (deep, "
                + "unsupervised), and their named variants and ablations (e.g. nsh-spec, wch-plain; deephash methods lists them). "
                + "Default: ${DEFAULT-VALUE}.")
    List<String> methods;

    @Option(names = "--features", paramLabel = "pixels|mobilenetv2|mobilenetv2:block_N",
            description = "What the classic methods hash: raw pixels, or the pooled features of a pretrained network (computed once, "
                + "cached under $DEEPHASH_HOME/features). Default: mobilenetv2:block_10 for colour images, pixels for grey ones.")
    String features;

    @Option(names = "--backbone", paramLabel = "NAME",
            description = "The deep methods' backbone. Default: the --features network, frozen (WCH on its block_10 grid); cnn on pixels.")
    String backbone;

    @Option(names = "--deep-epochs", defaultValue = "10", description = "Training epochs of the deep methods (default: ${DEFAULT-VALUE}).")
    int deepEpochs;

    @Option(names = "--eval-every", defaultValue = "0", paramLabel = "N",
            description = "Also evaluate the deep methods every N epochs, to report the best epoch beside the last (0: last only).")
    int evalEvery;

    @Option(names = {"-b", "--bits"}, split = ",", defaultValue = "16,32,64,128", paramLabel = "BITS",
            description = "Code lengths (default: ${DEFAULT-VALUE}).")
    List<Integer> bits;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--output"}, defaultValue = "deephash-out/demo", paramLabel = "DIR",
            description = "Where to write results (default: ${DEFAULT-VALUE}).")
    Path output;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        for (int b : bits) {
            BinaryCodes.checkBits(b);
        }
        for (String m : methods) {
            if (!DeepMethods.isDeep(m)) {
                ClassicMethods.byName(m);
            }
        }
        DatasetRepository repo = DatasetRepository.standard();
        int runsTotal = data.size() * methods.size() * bits.size();
        int runsStarted = 0;
        StringBuilder tables = new StringBuilder();
        List<Map<String, Object>> jsonRuns = new ArrayList<>();
        for (String spec : data) {
            say("loading data set '" + spec + "' (fetched into the cache on first use)");
            BenchmarkImages loaded = repo.load(spec, imageOptions.shape(), imageOptions.strict, new ConsoleProgress());
            String featureName = features != null ? features : loaded.images().fixedShape().orElseThrow().channels() == 3
                    ? PRETRAINED_DEFAULT : PIXELS;
            boolean pretrained = !featureName.equals(PIXELS);
            if (pretrained && !PretrainedBackbone.isPretrained(featureName)) {
                throw new IllegalArgumentException("--features must be pixels or a pretrained network (" + String.join(", ",
                        PretrainedBackbone.names()) + ", mobilenetv2:block_N), got '" + featureName + "'");
            }
            if (pretrained && imageOptions.shape() == null && loaded.images().fixedShape().orElseThrow().height() < PRETRAINED_MIN_SIDE) {
                say("decoding again at " + PRETRAINED_SHAPE + " for the pretrained network (--shape to choose)");
                loaded = repo.load(spec, PRETRAINED_SHAPE, imageOptions.strict, new ConsoleProgress());
            }
            BenchmarkImages images = loaded;
            FeatureInput.reportSkipped(images.skipped());
            String name = images.images().name();
            Protocol p = Protocols.parse(protocolFor(name, protocol));
            Split split = images.split(p);
            say(String.format(Locale.ROOT, "protocol %s: %d queries, %d training, %d database items", p.name(),
                    split.query().length, split.train().length, split.database().length));
            Path out = data.size() == 1 ? output : output.resolve(name);
            SplitFiles.write(out.resolve("split"), p, name, split);
            FeatureMatrix pixels = images.images().pixelFeatures();
            ImageShape shape = images.images().fixedShape().orElseThrow();
            FeatureMatrix classicInput = pretrained ? PretrainedBackbone.features(featureName, pixels, shape, new ConsoleProgress()) : pixels;
            String featureText = pretrained ? featureName + " pooled features (frozen, ImageNet-pretrained)" : "pixels / 255";
            say("classic methods' features: " + (pretrained ? featureText : "raw pixels scaled to [0, 1]") + ", "
                    + classicInput.columns() + " dimensions");

            List<HashingExperiment.Outcome> outcomes = new ArrayList<>();
            List<ReportRun> runs = new ArrayList<>();
            Map<String, String> bestEpochs = new LinkedHashMap<>();
            List<String> failures = new ArrayList<>();
            for (String methodName : methods) {
                boolean deep = DeepMethods.isDeep(methodName);
                for (int b : bits) {
                    EpochReport report = new EpochReport(deepEpochs, evalEvery, false,
                            f -> HashingExperiment.evaluate(f, pixels, images.images().labels(), split));
                    SupervisedHashMethod method = deep ? DeepMethods.recipe(methodName, b, deepBackbone(methodName, pretrained ? featureName
                            : null), shape, seed).withTraining(t -> t.with("epochs", deepEpochs)).asHashMethod(shape, report,
                            new ConsoleProgress()) : SupervisedHashMethod.ignoringLabels(ClassicMethods.byName(methodName));
                    runsStarted++;
                    say(String.format(Locale.ROOT, "run %d/%d (%s elapsed): ", runsStarted, runsTotal, elapsed(start))
                            + (deep ? "training " + method.name() + " (" + deepEpochs + " epochs)" : "fitting "
                            + method.name()) + " at " + b + " bits on " + split.train().length + " images, encoding "
                            + (split.query().length + split.database().length) + ", evaluating");
                    HashingExperiment.Outcome o;
                    try {
                        o = HashingExperiment.run(method, b, seed, deep ? pixels : classicInput, images.images().labels(), split,
                                new ConsoleProgress());
                    } catch (IllegalStateException | IllegalArgumentException e) {
                        if (!deep && !(e instanceof BitsExceedDimensionException)) {
                            throw e;
                        }
                        // a diverged training run must not cost the other runs of a long experiment
                        String verdict = deep ? "FAILED" : "NOT RUN";
                        say(verdict + ": " + method.name() + " at " + b + " bits: " + e.getMessage());
                        failures.add(String.format(Locale.ROOT, "**%s: %s at %d bits**: %s", verdict, method.name(), b, e.getMessage()));
                        continue;
                    }
                    outcomes.add(o);
                    if (deep && evalEvery > 0) {
                        report.offer(deepEpochs, new HashingExperiment.Evaluation(o.metrics(), o.bitImbalance()));
                        bestEpochs.put(o.method() + " " + o.bits(), report.best());
                    }
                    Path codesFile = out.resolve("codes").resolve(o.method() + "-" + o.bits() + CodeFile.EXTENSION);
                    CodeFile.write(codesFile, o.codes());
                    runs.add(new ReportRun(o.method() + " " + o.bits(), Map.of("dataset", name, "protocol", p.describe(),
                            "method", o.method(), "bits", o.bits(), "features", deep ? "images" : featureText, "codes", codesFile.toString()),
                            o.metrics()));
                    Map<String, Object> fig = new LinkedHashMap<>(o.figures());
                    fig.put("dataset", name);
                    fig.put("protocol", p.name());
                    fig.put("features", deep ? "images" : featureText);
                    jsonRuns.add(fig);
                }
            }
            EvalReport.write(out.resolve("report"), runs);
            double chance = ChanceLevel.of(images.images().labels().subset(split.query()),
                    images.images().labels().subset(split.database()));
            String table = ResultsTable.markdown(name, p.name(), chance, outcomes, bestEpochs)
                    + (failures.isEmpty() ? "" : "\n" + String.join("\n", failures) + "\n");
            AtomicFiles.writeString(out.resolve("results.md"), table);
            tables.append(table).append('\n');
            System.out.println();
            System.out.println(table);
            say("full evaluation report (tie-aware mAP, PR curves, plots): " + out.resolve("report"));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("datasets", data);
        json.put("seed", seed);
        json.put("conventions", EvalConfig.standard().describe());
        json.put("results", jsonRuns);
        byte[] bytes = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json);
        AtomicFiles.write(output.resolve("results.json"), out -> out.write(bytes));
        if (data.size() > 1) {
            AtomicFiles.writeString(output.resolve("results.md"), tables.toString());
        }
        say(String.format(Locale.ROOT, "done in %.1f s; results in %s", (System.nanoTime() - start) / 1e9, output.toAbsolutePath()));
        return 0;
    }

    private static final String PIXELS = "pixels";
    /** The pure-ImageNet stage of the published MobileNetV2: on the validation split its features beat the top layer's (docs/pretrained.md). */
    private static final String PRETRAINED_DEFAULT = "mobilenetv2:block_10";
    /** Images smaller than this are decoded again at {@link #PRETRAINED_SHAPE} for a pretrained network (emoji are 64 x 64). */
    private static final int PRETRAINED_MIN_SIDE = 64;
    private static final ImageShape PRETRAINED_SHAPE = new ImageShape(3, 64, 64);

    /**
     * The backbone of deep method {@code method}: {@code --backbone} if given; else on a pretrained
     * network {@code features} (its token stage for a method that learns from patch tokens); else {@code cnn}.
     */
    private String deepBackbone(String method, String features) {
        if (backbone != null) {
            return backbone;
        }
        if (features == null) {
            return "cnn";
        }
        return DeepMethods.methodOf(method).patchTokens() ? PretrainedBackbone.tokenStage(features)
                : features;
    }

    /** Time since {@code startNanos}, as minutes and seconds. */
    private static String elapsed(long startNanos) {
        long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
        return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }

    private static void say(String message) {
        System.err.println("[demo] " + message);
    }
}
