package org.deephash4j.hash.deep;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.hash.HashModels;
import org.deephash4j.hash.ModelContents;
import org.deephash4j.nn.DeepEngine;
import org.deephash4j.nn.ScaledAdam;
import org.deephash4j.nn.Weights;
import org.deephash4j.nn.loss.OrthoCosLoss;
import org.deephash4j.util.ProgressListener;
import org.deephash4j.util.SeededRandom;

/**
 * OrthoHash (Hoe et al., NeurIPS 2021; methods.md §4), supervised: a backbone, a hash layer (linear
 * without bias, initialised N(0, 0.01^2), then BatchNorm for bit balance), and one loss, the cosine
 * softmax cross-entropy towards fixed binary target codes of the classes ({@link OrthoCosLoss},
 * {@link TargetCodes}); label smoothing for multi-label data. Adam with L2 weight decay, the
 * backbone at a fraction of the learning rate, the rate divided by 10 at 80 % of the epochs.
 */
public final class OrthoHash {

    /**
     * Training settings. The reference code's values are for a pre-trained AlexNet (lr 1e-4, backbone
     * x0.1, batch 256, 100 epochs); the defaults here are for the small CNN trained from scratch.
     */
    public record Config(int bits, String backbone, int epochs, int batchSize, float learningRate, float backboneLrScale,
            float weightDecay, OrthoCosLoss loss, TargetCodes.Kind targets, long seed, Optimiser optimiser, Schedule schedule,
            Augmentation augmentation) {

        /** Settings with Adam, the step schedule (the reference code's) and no augmentation. */
        public Config(int bits, String backbone, int epochs, int batchSize, float learningRate, float backboneLrScale,
                float weightDecay, OrthoCosLoss loss, TargetCodes.Kind targets, long seed) {
            this(bits, backbone, epochs, batchSize, learningRate, backboneLrScale, weightDecay, loss, targets, seed, Optimiser.ADAM,
                    Schedule.STEP);
        }

        /** Settings without augmentation. */
        public Config(int bits, String backbone, int epochs, int batchSize, float learningRate, float backboneLrScale,
                float weightDecay, OrthoCosLoss loss, TargetCodes.Kind targets, long seed, Optimiser optimiser, Schedule schedule) {
            this(bits, backbone, epochs, batchSize, learningRate, backboneLrScale, weightDecay, loss, targets, seed, optimiser, schedule,
                    Augmentation.none());
        }

        public Config {
            org.deephash4j.codes.BinaryCodes.checkBits(bits);
            if (epochs <= 0 || batchSize <= 1 || learningRate <= 0 || backboneLrScale < 0 || weightDecay < 0) {
                throw new IllegalArgumentException("invalid OrthoHash settings: epochs " + epochs + ", batch " + batchSize
                        + ", lr " + learningRate + ", backbone scale " + backboneLrScale + ", weight decay " + weightDecay);
            }
        }

        /** Defaults for {@code bits}-bit codes and the given backbone. */
        public static Config defaults(int bits, String backbone) {
            return new Config(bits, backbone, 30, 64, 1e-3f, 1f, 5e-4f, OrthoCosLoss.defaults(), TargetCodes.Kind.BERNOULLI, 0);
        }

        /** Everything, for the saved model's configuration. */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epochs", epochs);
            m.put("batch_size", batchSize);
            m.put("learning_rate", learningRate);
            m.put("backbone_lr_scale", backboneLrScale);
            m.put("weight_decay", weightDecay);
            m.put("optimizer", optimiser == Optimiser.ADAM ? "Adam (L2 in the gradient)" : "SGD, momentum 0.9 (L2 in the gradient)");
            m.put("schedule", schedule == Schedule.STEP ? "lr x0.1 after 80 % of the epochs" : "cosine from lr to 0");
            m.put("scale", loss.scale());
            m.put("margin", loss.margin());
            m.put("margin_type", loss.arc() ? "arc" : "cos");
            m.put("target_codes", targets.name().toLowerCase(java.util.Locale.ROOT));
            m.put("augmentation", augmentation.description());
            m.put("seed", seed);
            return m;
        }
    }

    /** The optimiser. */
    public enum Optimiser { ADAM, SGD }

    /** The learning-rate schedule over epochs. */
    public enum Schedule {
        /** The full rate, then a tenth of it after 80 % of the epochs (the reference code's StepLR). */
        STEP,
        /** Half a cosine from the full rate at the first epoch down towards 0 at the last. */
        COSINE;

        /** The rate of epoch {@code epoch} (1-based) of {@code epochs}. */
        public float rate(float base, int epoch, int epochs) {
            if (this == STEP) {
                return epoch > (int) (0.8 * epochs) ? base * 0.1f : base;
            }
            return (float) (0.5 * base * (1 + Math.cos(Math.PI * (epoch - 1) / epochs)));
        }
    }

    /** Told after every epoch, e.g. to evaluate the current model. */
    public interface EpochListener {
        void epochDone(int epoch, double meanLoss, DeepHashFunction current);
    }

    private OrthoHash() {
    }

    /**
     * Where and when training state is saved. A checkpoint holds the weights (BatchNorm statistics
     * included), the optimiser's moments and step counts, the epoch and step, and the batch-order
     * generator's state, so a resumed run continues exactly as an uninterrupted one would.
     *
     * @param file the checkpoint file (written atomically)
     * @param everyEpochs save after every this many epochs (0: never at epoch ends)
     * @param resume continue from {@code file} if it exists
     * @param stopAfterSteps save and stop after this many steps in this run (0: never), as a kill would
     */
    public record Checkpoints(Path file, int everyEpochs, boolean resume, int stopAfterSteps) {
    }

    /** Thrown when training stopped early (interrupted) after saving a checkpoint. */
    public static final class TrainingStopped extends RuntimeException {
        private final transient Path checkpoint;

        TrainingStopped(Path checkpoint) {
            super("training stopped; state saved to " + checkpoint + " (continue with --resume)");
            this.checkpoint = checkpoint;
        }

        /** The checkpoint written before stopping. */
        public Path checkpoint() {
            return checkpoint;
        }
    }

    /** Trains on {@code x} (rows of {@code shape} values) with labels {@code y}. */
    public static DeepHashFunction train(Config c, FeatureMatrix x, MultiHotLabels y, ImageShape shape, EpochListener listener,
            ProgressListener progress) {
        return train(c, x, y, shape, listener, progress, null);
    }

    /** Trains, saving and resuming checkpoints as {@code checkpoints} says ({@code null}: none). */
    public static DeepHashFunction train(Config c, FeatureMatrix x, MultiHotLabels y, ImageShape shape, EpochListener listener,
            ProgressListener progress, Checkpoints checkpoints) {
        if (x.rows() != y.size()) {
            throw new IllegalArgumentException(x.rows() + " training items but " + y.size() + " labels");
        }
        if (x.columns() != shape.pixels()) {
            throw new IllegalArgumentException("inputs have " + x.columns() + " values, shape " + shape + " needs " + shape.pixels());
        }
        int n = x.rows();
        int batch = Math.min(c.batchSize(), n);
        int steps = n / batch;
        DeepEngine.seed(c.seed());
        NDManager manager = NDManager.newBaseManager();
        SequentialBlock net = DeepHashFunction.network(c.backbone(), c.bits());
        net.getChildren().get(1).getValue().setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
        Model model = Model.newInstance("orthohash");
        model.setBlock(net);
        Map<String, Float> scales = new HashMap<>();
        for (Pair<String, Parameter> p : net.getChildren().get(0).getValue().getParameters()) {
            scales.put(p.getValue().getId(), c.backboneLrScale());
        }
        ScaledAdam adam = new ScaledAdam(c.optimiser() == Optimiser.SGD, c.learningRate(), c.weightDecay(), scales);
        DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam);
        int classes = y.numClasses();
        NDArray targets = manager.create(TargetCodes.generate(c.targets(), classes, c.bits(), c.seed())).reshape(classes, c.bits());
        byte[] labelMatrix = y.toMatrix();
        float[] xs = x.values();
        int d = shape.pixels();
        int[] perm = new int[n];
        Batches batches = new Batches(c, xs, labelMatrix, shape, classes, batch);
        java.util.concurrent.ExecutorService prefetch = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "orthohash-batches");
            t.setDaemon(true);
            return t;
        });
        Run run = new Run(c, net, adam, shape, classes, n, checkpoints);
        AtomicBoolean stopRequested = new AtomicBoolean();
        CountDownLatch saved = new CountDownLatch(1);
        Thread hook = checkpoints == null ? null : new Thread(() -> {
            stopRequested.set(true);
            try {
                saved.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        boolean finished = false;
        try (Trainer trainer = model.newTrainer(tc)) {
            trainer.initialize(DeepHashFunction.inputShape(shape, batch));
            Run.Position at = run.resumeOrStart();
            if (hook != null) {
                Runtime.getRuntime().addShutdownHook(hook);
            }
            int stepsThisRun = 0;
            SeededRandom order = SeededRandom.restore(at.orderState());
            double lossSum = at.lossSum();
            for (int epoch = at.epoch(); epoch <= c.epochs(); epoch++) {
                long[] orderAtEpochStart = order.saveState();
                adam.setLearningRate(c.schedule().rate(c.learningRate(), epoch, c.epochs()));
                for (int i = 0; i < n; i++) {
                    perm[i] = i;
                }
                order.partialShuffle(perm, n);
                int first = epoch == at.epoch() ? at.step() : 0;
                if (first == 0) {
                    lossSum = 0;
                }
                progress.start("epoch " + epoch + "/" + c.epochs(), steps - first);
                final int ep = epoch;
                Future<?> pending = prefetch.submit(() -> batches.fill(ep, first, perm, 0));
                for (int s = first; s < steps; s++) {
                    int slot = (s - first) % 2;
                    await(pending);
                    if (s + 1 < steps) {
                        final int next = s + 1;
                        pending = prefetch.submit(() -> batches.fill(ep, next, perm, 1 - slot));
                    }
                    float[] xb = batches.x[slot];
                    float[] yb = batches.y[slot];
                    try (NDManager sub = manager.newSubManager()) {
                        NDArray in = sub.create(FloatBuffer.wrap(xb), DeepHashFunction.inputShape(shape, batch));
                        NDArray labels = sub.create(FloatBuffer.wrap(yb), new Shape(batch, classes));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            // DJL keeps gradients after an update; without clearing they would accumulate over steps
                            gc.zeroGradients();
                            NDArray v = trainer.forward(new NDList(in)).singletonOrThrow();
                            NDArray loss = c.loss().compute(v, labels, targets);
                            lossSum += loss.getFloat();
                            gc.backward(loss);
                        }
                        trainer.step();
                    }
                    progress.advance(1);
                    stepsThisRun++;
                    boolean stop = stopRequested.get() || (checkpoints != null && checkpoints.stopAfterSteps() > 0
                            && stepsThisRun >= checkpoints.stopAfterSteps());
                    if (stop) {
                        progress.finish();
                        run.save(new Run.Position(epoch, s + 1, orderAtEpochStart, lossSum));
                        saved.countDown();
                        throw new TrainingStopped(checkpoints.file());
                    }
                }
                progress.finish();
                if (checkpoints != null && checkpoints.everyEpochs() > 0 && epoch % checkpoints.everyEpochs() == 0) {
                    run.save(new Run.Position(epoch + 1, 0, order.saveState(), 0));
                }
                if (listener != null) {
                    listener.epochDone(epoch, lossSum / steps, new DeepHashFunction("orthohash", c.bits(), c.backbone(), shape,
                            c.describe(), manager, net, () -> { }));
                }
            }
            finished = true;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write or read the checkpoint " + checkpoints.file(), e);
        } finally {
            prefetch.shutdownNow();
            saved.countDown();
            if (!finished) {
                // a stopped or failed run's network is not returned: release it now rather than leave it to
                // DJL's finalizers, which close managers at unpredictable times
                model.close();
                manager.close();
            }
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting: the hook is already running
                }
            }
        }
        DeepHashFunction trained = new DeepHashFunction("orthohash", c.bits(), c.backbone(), shape, c.describe(), manager, net,
                model);
        // the model and manager own the network's native memory: keep them reachable until handed over
        java.lang.ref.Reference.reachabilityFence(model);
        java.lang.ref.Reference.reachabilityFence(manager);
        return trained;
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing a batch", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("preparing a batch failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Two batch buffers, filled on a background thread while the other one trains. An image's view
     * depends only on (seed, epoch, position in the epoch), so batches are the same whichever thread
     * makes them and a resumed run sees the same views.
     */
    private static final class Batches {
        final float[][] x = new float[2][];
        final float[][] y = new float[2][];
        final Config config;
        final float[] images;
        final byte[] labels;
        final ImageShape shape;
        final int classes;
        final int batch;
        final float[] view;
        final float[] source;

        Batches(Config config, float[] images, byte[] labels, ImageShape shape, int classes, int batch) {
            this.config = config;
            this.images = images;
            this.labels = labels;
            this.shape = shape;
            this.classes = classes;
            this.batch = batch;
            for (int i = 0; i < 2; i++) {
                x[i] = new float[batch * shape.pixels()];
                y[i] = new float[batch * classes];
            }
            view = new float[shape.pixels()];
            source = new float[shape.pixels()];
        }

        void fill(int epoch, int step, int[] perm, int slot) {
            int d = shape.pixels();
            Augmentation a = config.augmentation();
            for (int b = 0; b < batch; b++) {
                int position = step * batch + b;
                int item = perm[position];
                if (a.isIdentity()) {
                    System.arraycopy(images, item * d, x[slot], b * d, d);
                } else {
                    System.arraycopy(images, item * d, source, 0, d);
                    a.apply(source, view, shape, Augmentation.randomFor(config.seed(), epoch, position));
                    System.arraycopy(view, 0, x[slot], b * d, d);
                }
                for (int k = 0; k < classes; k++) {
                    y[slot][b * classes + k] = labels[item * classes + k];
                }
            }
        }
    }

    /** Saving and restoring the state of one training run. */
    private static final class Run {
        static final String METHOD = "orthohash-checkpoint";

        /** Where training stands: the next epoch and step, the batch-order state at that epoch's start. */
        record Position(int epoch, int step, long[] orderState, double lossSum) {
        }

        final Config config;
        final SequentialBlock net;
        final ScaledAdam adam;
        final ImageShape shape;
        final int classes;
        final int items;
        final Checkpoints checkpoints;

        Run(Config config, SequentialBlock net, ScaledAdam adam, ImageShape shape, int classes, int items, Checkpoints checkpoints) {
            this.config = config;
            this.net = net;
            this.adam = adam;
            this.shape = shape;
            this.classes = classes;
            this.items = items;
            this.checkpoints = checkpoints;
        }

        private Map<String, Object> identity() {
            Map<String, Object> m = new LinkedHashMap<>(config.describe());
            m.put("bits", config.bits());
            m.put("backbone", config.backbone());
            m.put("input_shape", java.util.List.of(shape.channels(), shape.height(), shape.width()));
            m.put("classes", classes);
            m.put("training_items", items);
            return m;
        }

        Position resumeOrStart() throws java.io.IOException {
            Position fresh = new Position(1, 0, new SeededRandom(config.seed() ^ 0x5DEECE66DL).saveState(), 0);
            if (checkpoints == null || !checkpoints.resume() || !java.nio.file.Files.exists(checkpoints.file())) {
                return fresh;
            }
            ModelContents ck = HashModels.read(checkpoints.file());
            if (!METHOD.equals(ck.method())) {
                throw new IllegalArgumentException(checkpoints.file() + " is not an OrthoHash checkpoint (" + ck.method() + ")");
            }
            Object saved = ck.config().get("run");
            if (!identity().toString().equals(String.valueOf(saved))) {
                throw new IllegalArgumentException("checkpoint " + checkpoints.file() + " was written by another run: " + saved
                        + "\nthis run: " + identity());
            }
            for (Pair<String, Parameter> p : net.getParameters()) {
                NDArray a = p.getValue().getArray();
                Weights.copyInto(a, ck.floatArray(p.getKey(), (int) a.size()));
                if (ck.arrays().containsKey("adam.m/" + p.getKey())) {
                    int t = ((Number) ((Map<?, ?>) ck.config().get("adam_steps")).get(p.getKey())).intValue();
                    float[] variance = ck.arrays().containsKey("adam.v/" + p.getKey())
                            ? ck.floatArray("adam.v/" + p.getKey(), (int) a.size()) : new float[0];
                    adam.restore(p.getValue().getId(), a, new ScaledAdam.State(ck.floatArray("adam.m/" + p.getKey(), (int) a.size()),
                            variance, t));
                }
            }
            @SuppressWarnings("unchecked")
            java.util.List<Number> order = (java.util.List<Number>) ck.config().get("order_state");
            return new Position(((Number) ck.config().get("epoch")).intValue(), ((Number) ck.config().get("step")).intValue(),
                    new long[] {order.get(0).longValue(), order.get(1).longValue()}, ((Number) ck.config().get("loss_sum")).doubleValue());
        }

        void save(Position at) throws java.io.IOException {
            Map<String, double[]> arrays = new LinkedHashMap<>();
            Map<String, Object> adamSteps = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : net.getParameters()) {
                arrays.put(p.getKey(), ModelContents.widen(p.getValue().getArray().toFloatArray()));
                ScaledAdam.State st = adam.state(p.getValue().getId());
                if (st != null) {
                    arrays.put("adam.m/" + p.getKey(), ModelContents.widen(st.mean()));
                    if (st.variance().length > 0) {
                        arrays.put("adam.v/" + p.getKey(), ModelContents.widen(st.variance()));
                    }
                    adamSteps.put(p.getKey(), st.steps());
                }
            }
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("run", identity().toString());
            cfg.put("epoch", at.epoch());
            cfg.put("step", at.step());
            cfg.put("order_state", java.util.List.of(at.orderState()[0], at.orderState()[1]));
            cfg.put("loss_sum", at.lossSum());
            cfg.put("adam_steps", adamSteps);
            HashModels.write(checkpoints.file(), new ModelContents(METHOD, config.bits(), shape.pixels(), cfg, arrays));
        }
    }
}
