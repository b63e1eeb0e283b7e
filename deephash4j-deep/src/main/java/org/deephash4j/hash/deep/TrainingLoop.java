package org.deephash4j.hash.deep;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.nn.DeepEngine;
import org.deephash4j.nn.ScaledAdam;
import org.deephash4j.util.ProgressListener;
import org.deephash4j.util.SeededRandom;

/**
 * The training loop all deep methods share. It keeps the step: seeded batch order, augmented views
 * prepared on a background thread while the previous step trains, one memory scope per step, the
 * optimiser with its schedule and backbone learning-rate scale, steps with non-finite or spiking
 * gradients skipped ({@link GradientGuard}), and resuming from a checkpoint exactly. The other jobs are
 * {@link TrainingListener}s, told in this order: progress ({@link ProgressReport}), checkpoints every
 * N epochs and on interrupt ({@link CheckpointSaver}), and the models an epoch listener gets with the
 * settings' BatchNorm statistics ({@link EpochModels}). A method supplies only its networks, its
 * objective and what its batches hold ({@link TrainingTask}).
 */
final class TrainingLoop {

    /**
     * A step whose gradients are not all finite (one overflowing batch), or a spike far above the recent
     * steps' ({@link GradientGuard}), is skipped rather than allowed to turn the optimiser's moments, and
     * then every weight, into NaN or to freeze them; this many in a row end the run.
     */
    static final int MAX_SKIPPED_IN_A_ROW = 10;

    private TrainingLoop() {
    }

    /** Trains {@code task} on the rows of {@code x} (images of the task's shape) with the task's training settings. */
    static DeepHashFunction run(TrainingTask task, FeatureMatrix x, Training.EpochListener listener, ProgressListener progress,
            Training.Checkpoints checkpoints) {
        Training.Settings s = task.config().training();
        ImageShape shape = task.shape();
        if (x.columns() != shape.pixels()) {
            throw new IllegalArgumentException("inputs have " + x.columns() + " values, shape " + shape + " needs " + shape.pixels());
        }
        int n = x.rows();
        int batch = Math.min(s.batchSize(), n);
        if (batch < 2) {
            throw new IllegalArgumentException("training needs at least 2 items, got " + n);
        }
        int steps = n / batch;
        DeepEngine.seed(s.seed());
        org.deephash4j.nn.PretrainedBackbone pretrained = DeepHashFunction.pretrainedIn(task.encoder());
        boolean wholeBackbone = Training.Settings.WHOLE_BACKBONE.equals(s.backboneTrainable());
        if (pretrained != null) {
            if (!wholeBackbone && s.backboneLrScale() == 0) {
                throw new IllegalArgumentException("--backbone-trainable " + s.backboneTrainable() + " trains part of the backbone, "
                        + "but its learning-rate scale is 0: give --backbone-lr-scale (e.g. 0.1)");
            }
            if (s.backboneLrScale() == 0 || wholeBackbone) {
                pretrained.setFrozen(s.backboneLrScale() == 0);
            } else {
                pretrained.setTrainableFrom(s.backboneTrainable());
            }
        } else if (!wholeBackbone) {
            throw new IllegalArgumentException("--backbone-trainable " + s.backboneTrainable() + " needs a pretrained backbone (such as "
                    + "mobilenetv2:block_10); this one trains as a whole");
        }
        CheckpointFile file = new CheckpointFile(task, n, checkpoints);
        try {
            file.prepareResume();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + file.file(), e);
        }
        NDManager manager = NDManager.newBaseManager();
        Model model = Model.newInstance(task.method());
        model.setBlock(task.trainingBlock());
        Map<String, Float> scales = new HashMap<>();
        for (Pair<String, Parameter> p : task.encoder().getChildren().get(0).getValue().getParameters()) {
            scales.put(p.getValue().getId(), s.backboneLrScale());
        }
        ScaledAdam optimiser = new ScaledAdam(s.optimiser() == Training.Optimiser.SGD, s.learningRate(), s.weightDecay(), scales);
        DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimiser);
        int[] perm = new int[n];
        Batches batches = new Batches(s, task, x.values(), shape, batch);
        ExecutorService prefetch = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, task.method() + "-batches");
            t.setDaemon(true);
            return t;
        });
        EpochModels epochModels = new EpochModels(task, manager, x, listener);
        List<TrainingListener> listeners = new ArrayList<>();
        listeners.add(new ProgressReport(progress, s.epochs()));
        if (checkpoints != null) {
            listeners.add(new CheckpointSaver(file, checkpoints));
        }
        // after the checkpoint: a re-estimate for the last epoch's listener changes the network's statistics
        listeners.add(epochModels);
        boolean finished = false;
        Shape input = DeepHashFunction.inputShape(shape, batch);
        try (Trainer trainer = model.newTrainer(tc)) {
            trainer.initialize(task.inputShapes(input));
            task.objective().prepare(manager);
            CheckpointFile.Position at = file.resumeOrStart(optimiser);
            listeners.forEach(TrainingListener::started);
            int skippedInARow = 0;
            GradientGuard guard = new GradientGuard();
            SeededRandom order = SeededRandom.restore(at.orderState());
            double lossSum = at.lossSum();
            for (int epoch = at.epoch(); epoch <= s.epochs(); epoch++) {
                long[] orderAtEpochStart = order.saveState();
                optimiser.setLearningRate(s.schedule().rate(s.learningRate(), epoch, s.epochs()));
                for (int i = 0; i < n; i++) {
                    perm[i] = i;
                }
                order.partialShuffle(perm, n);
                int first = epoch == at.epoch() ? at.step() : 0;
                int[] skippedEpoch = new int[GradientGuard.Verdict.values().length];
                if (first == 0) {
                    lossSum = 0;
                }
                for (TrainingListener l : listeners) {
                    l.epochStarted(epoch, first, steps);
                }
                long epochStart = System.nanoTime();
                final int ep = epoch;
                Future<?> pending = prefetch.submit(() -> batches.fill(ep, first, perm, 0));
                for (int step = first; step < steps; step++) {
                    int slot = (step - first) % 2;
                    await(pending);
                    if (step + 1 < steps) {
                        final int next = step + 1;
                        pending = prefetch.submit(() -> batches.fill(ep, next, perm, 1 - slot));
                    }
                    try (NDManager sub = manager.newSubManager()) {
                        NDArray[] views = new NDArray[task.views()];
                        for (int v = 0; v < views.length; v++) {
                            views[v] = sub.create(FloatBuffer.wrap(batches.x[slot][v]), input);
                        }
                        NDArray labels = task.labels() == null ? null
                                : sub.create(FloatBuffer.wrap(batches.y[slot]), new Shape(batch, task.classes()));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            zeroGradients(task.trainingBlock(), sub.zeros(new Shape()));
                            NDArray loss = task.objective().loss(trainer, views, labels);
                            float value = loss.getFloat();
                            if (!Float.isFinite(value)) {
                                throw new IllegalStateException(String.format(java.util.Locale.ROOT, "%s training diverged: loss %s at "
                                        + "epoch %d, step %d; %s (try a lower learning rate)", task.method(), value, epoch, step + 1,
                                        nonFiniteParameters(task.trainingBlock())));
                            }
                            lossSum += value;
                            gc.backward(loss);
                        }
                        GradientGuard.Verdict verdict = guard.check(gradientNorm(task.trainingBlock(), sub));
                        if (verdict == GradientGuard.Verdict.APPLY) {
                            trainer.step();
                            skippedInARow = 0;
                        } else {
                            skippedEpoch[verdict.ordinal()]++;
                            if (++skippedInARow > MAX_SKIPPED_IN_A_ROW) {
                                throw new IllegalStateException(String.format(java.util.Locale.ROOT, "%s training diverged: %s in %d "
                                        + "steps in a row, the last at epoch %d, step %d (try a lower learning rate)", task.method(),
                                        verdict.reason(), skippedInARow, epoch, step + 1));
                            }
                        }
                    }
                    TrainingListener.StepDone done = new TrainingListener.StepDone(epoch, step, first, batch, lossSum, skippedEpoch,
                            orderAtEpochStart, epochStart);
                    for (TrainingListener l : listeners) {
                        l.stepDone(done);
                    }
                }
                long[] orderAfterEpoch = order.saveState();
                for (TrainingListener l : listeners) {
                    l.epochDone(epoch, lossSum / steps, orderAfterEpoch);
                }
            }
            finished = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write or read the checkpoint " + file.file(), e);
        } finally {
            prefetch.shutdownNow();
            listeners.forEach(TrainingListener::closed);
            if (!finished) {
                // a stopped or failed run's network is not returned: release it now rather than leave it to
                // DJL's finalizers, which close managers at unpredictable times
                model.close();
                manager.close();
            }
        }
        DeepHashFunction trained = epochModels.result(task.function(manager, model));
        // the model and manager own the network's native memory: keep them reachable until handed over
        java.lang.ref.Reference.reachabilityFence(model);
        java.lang.ref.Reference.reachabilityFence(manager);
        return trained;
    }

    /**
     * Clears the gradients of the trained parameters before a step. DJL keeps gradients after an update,
     * so without this they would accumulate over steps. Not {@code GradientCollector.zeroGradients()}:
     * that walks every array of the engine and leaves a new handle on each gradient in the model's
     * manager at every step (a leak that grows with the run), and subtracts a gradient from itself,
     * which turns an infinite one into NaN; here each handle is closed and the gradient is overwritten
     * with {@code zero}, a scalar of the step's scope (a number would become a new array in the model's
     * manager at every call).
     */
    static void zeroGradients(Block block, NDArray zero) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray weight = p.getValue().getArray();
            if (weight.hasGradient()) {
                try (NDArray gradient = weight.getGradient()) {
                    gradient.set(new ai.djl.ndarray.index.NDIndex("..."), zero);
                }
            }
        }
    }

    /**
     * The global L2 norm of {@code block}'s gradients, by one sum of squares over all of them (a single
     * synchronisation per step); an infinite or NaN gradient makes it non-finite, and so does one above
     * about 1e19, whose square overflows float32 (either way the step is skipped).
     */
    static double gradientNorm(Block block, NDManager scope) {
        NDArray total = null;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray weight = p.getValue().getArray();
            if (weight.hasGradient()) {
                // the gradient's handle and its square live in the model's manager: closed here, not left to grow
                try (NDArray gradient = weight.getGradient(); NDArray squares = gradient.square()) {
                    NDArray sum = squares.sum();
                    sum.attach(scope);
                    total = total == null ? sum : total.add(sum);
                }
            }
        }
        return total == null ? 0 : Math.sqrt(total.getFloat());
    }

    /** What a non-finite loss's message says about the parameters: which ones are no longer finite, if any. */
    static String nonFiniteParameters(Block block) {
        StringBuilder names = new StringBuilder();
        for (Pair<String, Parameter> p : block.getParameters()) {
            for (float v : p.getValue().getArray().toFloatArray()) {
                if (!Float.isFinite(v)) {
                    names.append(names.length() == 0 ? "" : ", ").append(p.getKey());
                    break;
                }
            }
        }
        return names.length() == 0 ? "every parameter is finite: the forward pass overflowed on this batch"
                : "non-finite parameters: " + names;
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing a batch", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("preparing a batch failed: " + e.getCause(), e.getCause());
        }
    }

    /** Mixed into the seed of the generator that picks an image's kept views. */
    private static final long KEPT_VIEW_PICK = 0x6B43A9B5D2E8F17CL;

    /** The seed of view {@code view}'s augmentation: view 0 uses the run's seed, so one-view methods see the same images as before. */
    static long viewSeed(long seed, int view) {
        return view == 0 ? seed : seed ^ (0xD1B54A32D192ED03L * view);
    }

    /**
     * Two batch buffers, filled on a background thread while the other one trains. A view of an image
     * depends only on (seed, view, epoch, position in the epoch), so batches are the same whichever
     * thread makes them and a resumed run sees the same views.
     */
    private static final class Batches {
        final float[][][] x;
        final float[][] y = new float[2][];
        final Training.Settings settings;
        final TrainingTask task;
        final byte[] labels;
        final float[] images;
        final ImageShape shape;
        final int batch;
        final float[] view;
        final float[] source;

        Batches(Training.Settings settings, TrainingTask task, float[] images, ImageShape shape, int batch) {
            this.settings = settings;
            this.task = task;
            this.labels = task.labels() == null ? null : task.labels().toMatrix();
            this.images = images;
            this.shape = shape;
            this.batch = batch;
            x = new float[2][task.views()][batch * shape.pixels()];
            for (int i = 0; i < 2; i++) {
                y[i] = new float[batch * task.classes()];
            }
            view = new float[shape.pixels()];
            source = new float[shape.pixels()];
        }

        /**
         * Which of an image's {@code featureViews} kept views the task's views are at this epoch and
         * position (two different ones when there are two), or {@code null} when every epoch draws new views.
         */
        int[] keptViews(int epoch, int position) {
            int k = settings.featureViews();
            if (k == 0) {
                return null;
            }
            SeededRandom pick = Augmentation.randomFor(settings.seed() ^ KEPT_VIEW_PICK, epoch, position);
            int first = pick.nextInt(k);
            return new int[] {first, k == 1 ? first : (first + 1 + pick.nextInt(k - 1)) % k};
        }

        void fill(int epoch, int step, int[] perm, int slot) {
            int d = shape.pixels();
            Augmentation a = settings.augmentation();
            int classes = task.classes();
            for (int b = 0; b < batch; b++) {
                int position = step * batch + b;
                int item = perm[position];
                int[] kept = keptViews(epoch, position);
                for (int v = 0; v < task.views(); v++) {
                    if (a.isIdentity()) {
                        System.arraycopy(images, item * d, x[slot][v], b * d, d);
                    } else {
                        System.arraycopy(images, item * d, source, 0, d);
                        // a kept view depends only on the image and its number: the same pixels every time it is drawn
                        SeededRandom random = kept == null ? Augmentation.randomFor(viewSeed(settings.seed(), v), epoch, position)
                                : Augmentation.randomFor(viewSeed(settings.seed(), kept[v]), 0, item);
                        a.view(kept == null ? v : kept[v]).apply(source, view, shape, random);
                        System.arraycopy(view, 0, x[slot][v], b * d, d);
                    }
                }
                for (int k = 0; k < classes; k++) {
                    y[slot][b * classes + k] = labels[item * classes + k];
                }
            }
        }
    }
}
