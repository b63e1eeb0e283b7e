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
import org.deephash4j.data.BenchmarkImages;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.fetch.DatasetRepository;
import org.deephash4j.data.protocol.Protocol;
import org.deephash4j.data.protocol.Protocols;
import org.deephash4j.data.protocol.Split;
import org.deephash4j.data.protocol.SplitFiles;
import org.deephash4j.codes.CodeFile;
import org.deephash4j.eval.EvalConfig;
import org.deephash4j.eval.EvalReport;
import org.deephash4j.eval.HashingExperiment;
import org.deephash4j.eval.ReportRun;
import org.deephash4j.hash.classic.Lsh;
import org.deephash4j.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code deephash demo}: the main job end to end on the embedded default data set. Fetches MNIST,
 * splits it by the named protocol, fits the hash methods on pixels, encodes, evaluates and prints
 * a results table; writes the table, the figures (JSON) and the split's index lists.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the main job end to end: fetch data, split, fit, encode, evaluate, print a results table.",
            "Results, figures and the split's index lists are written to --output."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = {"-d", "--data"}, defaultValue = "mnist", paramLabel = "DATA",
            description = "Data set: a known name or a folder with MNIST-style IDX files (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = {"-p", "--protocol"}, paramLabel = "PROTOCOL",
            description = "Protocol (default: the data set's own, e.g. mnist: 1,000 queries / 5,000 train / 69,000 database).")
    String protocol;

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
            org.deephash4j.codes.BinaryCodes.checkBits(b);
        }
        say("loading data set '" + data + "' (fetched into the cache on first use)");
        DatasetRepository repo = DatasetRepository.standard();
        BenchmarkImages images = repo.load(data, new ConsoleProgress());
        String protocolSpec = protocol != null ? protocol : images.images().name();
        Protocol p = Protocols.parse(protocolSpec);
        Split split = p.split(images.images().labels(), images.trainSize());
        say(String.format(Locale.ROOT, "protocol %s: %d queries, %d training, %d database items", p.name(),
                split.query().length, split.train().length, split.database().length));
        SplitFiles.write(output.resolve("split"), p, images.images().name(), split);
        FeatureMatrix pixels = images.images().pixelFeatures();
        say("features: raw pixels scaled to [0, 1], " + pixels.columns() + " dimensions");

        List<HashingExperiment.Outcome> outcomes = new ArrayList<>();
        Lsh lsh = new Lsh();
        for (int b : bits) {
            say("fitting " + lsh.name() + " at " + b + " bits, encoding " + (split.query().length + split.database().length)
                    + " images, evaluating");
            outcomes.add(HashingExperiment.run(lsh, b, seed, pixels, images.images().labels(), split, new ConsoleProgress()));
        }
        List<ReportRun> runs = new ArrayList<>();
        for (HashingExperiment.Outcome o : outcomes) {
            Path codesFile = output.resolve("codes").resolve(o.method() + "-" + o.bits() + CodeFile.EXTENSION);
            CodeFile.write(codesFile, o.codes());
            runs.add(new ReportRun(o.method() + " " + o.bits(), Map.of("dataset", images.images().name(), "protocol", p.describe(),
                    "method", o.method(), "bits", o.bits(), "features", "pixels / 255", "codes", codesFile.toString()),
                    o.metrics()));
        }
        EvalReport.write(output.resolve("report"), runs);
        String table = ResultsTable.markdown(images.images().name(), p.name(), outcomes);
        System.out.println();
        System.out.println(table);
        AtomicFiles.writeString(output.resolve("results.md"), table);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dataset", images.images().name());
        json.put("protocol", p.describe());
        json.put("features", "pixels / 255");
        json.put("seed", seed);
        json.put("conventions", EvalConfig.standard().describe());
        json.put("results", outcomes.stream().map(HashingExperiment.Outcome::figures).toList());
        byte[] bytes = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json);
        AtomicFiles.write(output.resolve("results.json"), out -> out.write(bytes));
        say("full evaluation report (tie-aware mAP, PR curves, plots): " + output.resolve("report"));
        say(String.format(Locale.ROOT, "done in %.1f s; results in %s", (System.nanoTime() - start) / 1e9, output.toAbsolutePath()));
        return 0;
    }

    private static void say(String message) {
        System.err.println("[demo] " + message);
    }
}
