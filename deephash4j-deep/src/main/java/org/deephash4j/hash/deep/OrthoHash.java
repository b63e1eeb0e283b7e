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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.nn.DeepEngine;
import org.deephash4j.nn.ScaledAdam;
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
            float weightDecay, OrthoCosLoss loss, TargetCodes.Kind targets, long seed) {

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
            m.put("optimizer", "Adam (L2 in the gradient), lr x0.1 at 80 % of the epochs");
            m.put("scale", loss.scale());
            m.put("margin", loss.margin());
            m.put("margin_type", loss.arc() ? "arc" : "cos");
            m.put("target_codes", targets.name().toLowerCase(java.util.Locale.ROOT));
            m.put("seed", seed);
            return m;
        }
    }

    /** Told after every epoch, e.g. to evaluate the current model. */
    public interface EpochListener {
        void epochDone(int epoch, double meanLoss, DeepHashFunction current);
    }

    private OrthoHash() {
    }

    /** Trains on {@code x} (rows of {@code shape} values) with labels {@code y}. */
    public static DeepHashFunction train(Config c, FeatureMatrix x, MultiHotLabels y, ImageShape shape, EpochListener listener,
            ProgressListener progress) {
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
        ScaledAdam adam = new ScaledAdam(c.learningRate(), c.weightDecay(), scales);
        DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam);
        int classes = y.numClasses();
        NDArray targets = manager.create(TargetCodes.generate(c.targets(), classes, c.bits(), c.seed())).reshape(classes, c.bits());
        byte[] labelMatrix = y.toMatrix();
        float[] xs = x.values();
        int d = shape.pixels();
        SeededRandom order = new SeededRandom(c.seed() ^ 0x5DEECE66DL);
        int[] perm = new int[n];
        float[] xb = new float[batch * d];
        float[] yb = new float[batch * classes];
        int stepAt = (int) (0.8 * c.epochs());
        try (Trainer trainer = model.newTrainer(tc)) {
            trainer.initialize(DeepHashFunction.inputShape(shape, batch));
            for (int epoch = 1; epoch <= c.epochs(); epoch++) {
                adam.setLearningRate(epoch > stepAt ? c.learningRate() * 0.1f : c.learningRate());
                for (int i = 0; i < n; i++) {
                    perm[i] = i;
                }
                order.partialShuffle(perm, n);
                double lossSum = 0;
                progress.start("epoch " + epoch + "/" + c.epochs(), steps);
                for (int s = 0; s < steps; s++) {
                    for (int b = 0; b < batch; b++) {
                        int item = perm[s * batch + b];
                        System.arraycopy(xs, item * d, xb, b * d, d);
                        for (int k = 0; k < classes; k++) {
                            yb[b * classes + k] = labelMatrix[item * classes + k];
                        }
                    }
                    try (NDManager sub = manager.newSubManager()) {
                        NDArray in = sub.create(FloatBuffer.wrap(xb), DeepHashFunction.inputShape(shape, batch));
                        NDArray labels = sub.create(FloatBuffer.wrap(yb), new Shape(batch, classes));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray v = trainer.forward(new NDList(in)).singletonOrThrow();
                            NDArray loss = c.loss().compute(v, labels, targets);
                            lossSum += loss.getFloat();
                            gc.backward(loss);
                        }
                        trainer.step();
                    }
                    progress.advance(1);
                }
                progress.finish();
                if (listener != null) {
                    listener.epochDone(epoch, lossSum / steps, new DeepHashFunction("orthohash", c.bits(), c.backbone(), shape,
                            c.describe(), manager, net, () -> { }));
                }
            }
        }
        return new DeepHashFunction("orthohash", c.bits(), c.backbone(), shape, c.describe(), manager, net, model);
    }
}
