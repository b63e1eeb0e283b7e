package org.deephash4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.hash.deep.OrthoHash;
import org.deephash4j.hash.deep.TargetCodes;
import org.deephash4j.nn.loss.OrthoCosLoss;
import org.deephash4j.util.ProgressListener;
import org.deephash4j.util.SeededRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deephash bench train}: OrthoHash training-step time against PyTorch on the same network and batch. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Time OrthoHash training steps (small CNN, hash layer, cosine loss, Adam) on random data, and the same",
            "step in PyTorch (bench/torch_orthohash_step.py with Debian's python3-torch) in the same run."})
final class TrainBench implements Callable<Integer> {

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--bits", defaultValue = "64", description = "Code length (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--size", defaultValue = "28", description = "Image side (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--channels", defaultValue = "1", description = "Image channels (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--steps", defaultValue = "30", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch (default: ${DEFAULT-VALUE}).")
    String python;

    @Override
    public Integer call() throws Exception {
        int warmup = 5;
        int n = batch * (warmup + steps);
        ImageShape shape = new ImageShape(channels, size, size);
        SeededRandom r = new SeededRandom(0);
        float[] x = new float[n * shape.pixels()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            cls[i] = r.nextInt(10);
        }
        OrthoHash.Config c = new OrthoHash.Config(bits, "cnn", 1, batch, 1e-3f, 1f, 5e-4f, OrthoCosLoss.defaults(),
                TargetCodes.Kind.BERNOULLI, 0);
        List<Long> stamps = new ArrayList<>();
        ProgressListener timer = new ProgressListener() {
            @Override
            public void start(String task, long total) {
                stamps.add(System.nanoTime());
            }

            @Override
            public void advance(long units) {
                stamps.add(System.nanoTime());
            }

            @Override
            public void finish() {
            }
        };
        OrthoHash.train(c, new FeatureMatrix(n, shape.pixels(), x), MultiHotLabels.ofClasses(cls, 10), shape, null, timer).close();
        List<Double> ms = new ArrayList<>();
        for (int i = warmup + 1; i < stamps.size(); i++) {
            ms.add((stamps.get(i) - stamps.get(i - 1)) / 1e6);
        }
        double javaMs = BenchCommand.median(ms);
        System.out.printf(Locale.ROOT, "deephash4j (DJL 0.35.1, PyTorch 2.7.1) batch=%d bits=%d input=%s: median %.1f ms/step, min %.1f%n",
                batch, bits, shape, javaMs, BenchCommand.min(ms));
        Path script = BenchCommand.findBenchFile("torch_orthohash_step.py");
        if (script == null) {
            System.err.println("[bench] bench/torch_orthohash_step.py not found: PyTorch side skipped");
            return 0;
        }
        Process p = new ProcessBuilder(python, script.toString(), Integer.toString(batch), Integer.toString(bits),
                Integer.toString(size), Integer.toString(channels), Integer.toString(steps),
                Integer.toString(Runtime.getRuntime().availableProcessors())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            System.err.println("[bench] the PyTorch side failed (apt-get install python3-torch?):\n" + out);
            return 0;
        }
        System.out.println(out);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("median ([0-9.]+) ms").matcher(out);
        if (m.find()) {
            System.out.printf(Locale.ROOT, "ratio PyTorch / deephash4j (medians): %.2fx%n", Double.parseDouble(m.group(1)) / javaMs);
        }
        return 0;
    }
}
