package org.deephash4j.hash.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.NormalInitializer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.nn.loss.OrthoCosLoss;
import org.deephash4j.util.ProgressListener;

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
            float weightDecay, OrthoCosLoss loss, TargetCodes.Kind targets, long seed, Training.Optimiser optimiser, Training.Schedule schedule,
            Augmentation augmentation) {

        /** Settings with Adam, the step schedule (the reference code's) and no augmentation. */
        public Config(int bits, String backbone, int epochs, int batchSize, float learningRate, float backboneLrScale,
                float weightDecay, OrthoCosLoss loss, TargetCodes.Kind targets, long seed) {
            this(bits, backbone, epochs, batchSize, learningRate, backboneLrScale, weightDecay, loss, targets, seed, Training.Optimiser.ADAM,
                    Training.Schedule.STEP);
        }

        /** Settings without augmentation. */
        public Config(int bits, String backbone, int epochs, int batchSize, float learningRate, float backboneLrScale,
                float weightDecay, OrthoCosLoss loss, TargetCodes.Kind targets, long seed, Training.Optimiser optimiser, Training.Schedule schedule) {
            this(bits, backbone, epochs, batchSize, learningRate, backboneLrScale, weightDecay, loss, targets, seed, optimiser, schedule,
                    Augmentation.none());
        }

        public Config {
            org.deephash4j.codes.BinaryCodes.checkBits(bits);
            new Training.Settings(epochs, batchSize, learningRate, backboneLrScale, weightDecay, optimiser, schedule, augmentation, seed,
                    false);
        }

        /** Defaults for {@code bits}-bit codes and the given backbone. */
        public static Config defaults(int bits, String backbone) {
            return new Config(bits, backbone, 30, 64, 1e-3f, 1f, 5e-4f, OrthoCosLoss.defaults(), TargetCodes.Kind.BERNOULLI, 0);
        }

        /** The optimisation settings. */
        public Training.Settings training() {
            // no re-estimate of the BatchNorm statistics: without augmentation training's are already of real images
            return new Training.Settings(epochs, batchSize, learningRate, backboneLrScale, weightDecay, optimiser, schedule, augmentation,
                    seed, false);
        }

        /** Everything, for the saved model's configuration. */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>(training().describe());
            m.put("scale", loss.scale());
            m.put("margin", loss.margin());
            m.put("margin_type", loss.arc() ? "arc" : "cos");
            m.put("target_codes", targets.name().toLowerCase(java.util.Locale.ROOT));
            m.put("hash_layer", DeepHashFunction.HashLayer.BN.id());
            return m;
        }
    }

    private OrthoHash() {
    }

    /** Trains on {@code x} (rows of {@code shape} values) with labels {@code y}. */
    public static DeepHashFunction train(Config c, FeatureMatrix x, MultiHotLabels y, ImageShape shape, Training.EpochListener listener,
            ProgressListener progress) {
        return train(c, x, y, shape, listener, progress, null);
    }

    /** Trains, saving and resuming checkpoints as {@code checkpoints} says ({@code null}: none). */
    public static DeepHashFunction train(Config c, FeatureMatrix x, MultiHotLabels y, ImageShape shape, Training.EpochListener listener,
            ProgressListener progress, Training.Checkpoints checkpoints) {
        if (x.rows() != y.size()) {
            throw new IllegalArgumentException(x.rows() + " training items but " + y.size() + " labels");
        }
        return TrainingLoop.run(new Task(c, y, shape), c.training(), x, shape, listener, progress, checkpoints);
    }

    /** OrthoHash's part of the training loop: one view, the cosine loss towards the class target codes. */
    private static final class Task implements TrainingLoop.Task {
        private final Config config;
        private final byte[] labels;
        private final int classes;
        private final ImageShape shape;
        private final SequentialBlock network;
        private NDArray targets;

        Task(Config config, MultiHotLabels y, ImageShape shape) {
            this.config = config;
            this.labels = y.toMatrix();
            this.classes = y.numClasses();
            this.shape = shape;
            this.network = DeepHashFunction.network(config.backbone(), config.bits(), DeepHashFunction.HashLayer.BN);
            network.getChildren().get(1).getValue().setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
        }

        @Override
        public String name() {
            return "orthohash";
        }

        @Override
        public int bits() {
            return config.bits();
        }

        @Override
        public Map<String, Object> identity() {
            Map<String, Object> m = new LinkedHashMap<>(config.describe());
            m.put("bits", config.bits());
            m.put("backbone", config.backbone());
            return m;
        }

        @Override
        public Block hashNetwork() {
            return network;
        }

        @Override
        public Block trainingBlock() {
            return network;
        }

        @Override
        public int views() {
            return 1;
        }

        @Override
        public byte[] labels() {
            return labels;
        }

        @Override
        public int classes() {
            return classes;
        }

        @Override
        public void prepare(NDManager manager) {
            targets = manager.create(TargetCodes.generate(config.targets(), classes, config.bits(), config.seed()))
                    .reshape(classes, config.bits());
        }

        @Override
        public NDArray loss(Trainer trainer, NDArray[] views, NDArray labels) {
            NDArray v = trainer.forward(new NDList(views[0])).singletonOrThrow();
            return config.loss().compute(v, labels, targets);
        }

        @Override
        public DeepHashFunction function(NDManager manager, AutoCloseable owner) {
            return new DeepHashFunction(name(), config.bits(), config.backbone(), shape, config.describe(), manager, network, owner);
        }
    }
}
