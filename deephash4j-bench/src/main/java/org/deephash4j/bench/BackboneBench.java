package org.deephash4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deephash4j.nn.DeepEngine;
import org.deephash4j.nn.PretrainedBackbone;
import org.deephash4j.util.SeededRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench/run backbone}: feature extraction with the pretrained MobileNetV2 against PyTorch's torchvision network. */
@Command(name = "backbone", mixinStandardHelpOptions = true,
        description = {"Time feature extraction (pooled 1280-d, inference) with deephash4j's MobileNetV2 (the published weights",
            "rebuilt in DJL) and with torchvision's mobilenet_v2 in PyTorch (Debian's python3-torch and python3-torchvision;",
            "random weights, same architecture) at the same batch, input size and threads, in the same run."})
final class BackboneBench implements Callable<Integer> {

    @Mixin
    Yardsticks yardsticks;

    @Option(names = "--batch", defaultValue = "8", description = "Images per forward pass (default: ${DEFAULT-VALUE}, as extraction runs).")
    int batch;

    @Option(names = "--size", defaultValue = "224", description = "Input side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--steps", defaultValue = "10", description = "Timed batches (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--emoji", description = "Time real images (the emoji data set at 64 x 64, resized to --size) instead of random pixels.")
    boolean emoji;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch (default: ${DEFAULT-VALUE}).")
    String python;

    @Override
    public Integer call() throws Exception {
        DeepEngine.get();
        int threads = Runtime.getRuntime().availableProcessors();
        PretrainedBackbone net = PretrainedBackbone.create("mobilenetv2");
        int side = emoji ? 64 : size;
        float[] x = new float[batch * 3 * side * side];
        if (emoji) {
            float[] all = org.deephash4j.data.fetch.DatasetRepository.standard().load("emoji", new org.deephash4j.data.ImageShape(3, 64, 64), false,
                    org.deephash4j.util.ProgressListener.NONE).images().pixelFeatures().values();
            System.arraycopy(all, 1000 * 3 * 64 * 64, x, 0, x.length);
        } else {
            SeededRandom r = new SeededRandom(0);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextDouble();
            }
        }
        List<Double> ms = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(batch, 3, side, side);
            net.setFrozen(true);
            net.initialize(m, DataType.FLOAT32, shape);
            ParameterStore ps = new ParameterStore(m, false);
            for (int i = 0; i < steps + 3; i++) {
                try (NDManager step = m.newSubManager()) {
                    long t = System.nanoTime();
                    NDArray in = step.create(x, shape);
                    // as extraction runs (frozen: no gradients, BatchNorm folded), without the feature cache
                    NDArray maps = net.computeMaps(ps, in);
                    float[] features = maps.reshape(batch, 1280, -1).mean(new int[] {2}).toFloatArray();
                    if (i >= 3) {
                        ms.add((System.nanoTime() - t) / 1e6);
                    }
                    if (features.length != batch * 1280) {
                        throw new IllegalStateException("expected " + batch + " x 1280 features, got " + features.length);
                    }
                }
            }
        }
        double javaMs = Timings.median(ms);
        System.out.printf(Locale.ROOT, "deephash4j (DJL 0.35.1, PyTorch 2.7.1) mobilenetv2 batch=%d size=%d threads=%d: median %.1f ms/batch, "
                + "%.1f images/s%n", batch, size, threads, javaMs, batch / javaMs * 1000);
        Path script = yardsticks.find("torch_mobilenet_features.py");
        if (script == null) {
            System.err.println("[bench] torch_mobilenet_features.py not found in " + yardsticks.folder() + ": PyTorch side skipped");
            return 0;
        }
        Yardsticks.comparePyTorch(List.of(python, script.toString(), Integer.toString(batch), Integer.toString(size), Integer.toString(steps),
                Integer.toString(threads)), javaMs, "python3-torch python3-torchvision");
        return 0;
    }
}
