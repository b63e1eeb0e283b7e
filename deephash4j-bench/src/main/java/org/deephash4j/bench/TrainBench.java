package org.deephash4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.hash.deep.DeepHashFunction;
import org.deephash4j.hash.deep.Nsh;
import org.deephash4j.hash.deep.OrthoHash;
import org.deephash4j.hash.deep.Training;
import org.deephash4j.nn.loss.NshLoss;
import org.deephash4j.util.ProgressListener;
import org.deephash4j.util.SeededRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench/run train}: training-step time of a deep method against PyTorch on the same network and batch. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Time training steps on random data (small CNN, Adam), and the same step in PyTorch (Debian's python3-torch)",
            "in the same run: nsh (two views, SoftSort, SortedNCE; torch_nsh_step.py) or orthohash (hash layer + BN,",
            "cosine loss; bench/torch_orthohash_step.py)."})
final class TrainBench implements Callable<Integer> {

    @Mixin
    Yardsticks yardsticks;

    @Option(names = {"-m", "--method"}, defaultValue = "nsh", paramLabel = "nsh|orthohash", description = "Method (default: ${DEFAULT-VALUE}).")
    String method;

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
        boolean nsh = method.equalsIgnoreCase("nsh");
        if (!nsh && !method.equalsIgnoreCase("orthohash")) {
            throw new IllegalArgumentException("--method must be nsh or orthohash, got '" + method + "'");
        }
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
        FeatureMatrix data = new FeatureMatrix(n, shape.pixels(), x);
        if (nsh) {
            // as the PyTorch script: no hash-BN, no augmentation (two random batches), Adam 1e-3 without weight decay
            Training.Settings s = new Training.Settings(1, batch, 1e-3f, 1f, 0f, Training.Optimiser.ADAM, Training.Schedule.CONSTANT,
                    Augmentation.none(), 0, false);
            Nsh.train(new Nsh.Config(bits, "cnn", s, DeepHashFunction.HashLayer.LINEAR, 128, NshLoss.defaults(bits)), data, shape, null,
                    timer, null).close();
        } else {
            OrthoHash.Config d = OrthoHash.Config.defaults(bits, "cnn", 0);
            OrthoHash.Config c = d.withTraining(d.training().with("epochs", 1).with("batchSize", batch));
            OrthoHash.train(c, data, MultiHotLabels.ofClasses(cls, 10), shape, null, timer).close();
        }
        List<Double> ms = new ArrayList<>();
        for (int i = warmup + 1; i < stamps.size(); i++) {
            ms.add((stamps.get(i) - stamps.get(i - 1)) / 1e6);
        }
        double javaMs = Timings.median(ms);
        System.out.printf(Locale.ROOT, "deephash4j (DJL 0.35.1, PyTorch 2.7.1) " + method + " batch=%d bits=%d input=%s: median %.1f ms/step, min %.1f%n",
                batch, bits, shape, javaMs, Timings.min(ms));
        String name = nsh ? "torch_nsh_step.py" : "torch_orthohash_step.py";
        Path script = yardsticks.find(name);
        if (script == null) {
            System.err.println("[bench] " + name + " not found in " + yardsticks.folder() + ": PyTorch side skipped");
            return 0;
        }
        List<String> command = new ArrayList<>(List.of(python, script.toString(), Integer.toString(batch), Integer.toString(bits),
                Integer.toString(size), Integer.toString(channels), Integer.toString(steps)));
        if (!nsh) {
            command.add(Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
        Yardsticks.comparePyTorch(command, javaMs, "python3-torch");
        return 0;
    }
}
