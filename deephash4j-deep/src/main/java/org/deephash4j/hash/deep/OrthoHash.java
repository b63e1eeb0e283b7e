package org.deephash4j.hash.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.NormalInitializer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.nn.loss.OrthoCosLoss;
import org.deephash4j.util.ProgressListener;
import org.deephash4j.util.Records;

/**
 * OrthoHash (Hoe et al., NeurIPS 2021), supervised: a backbone, a hash layer (linear without bias,
 * initialised N(0, 0.01^2), then BatchNorm for bit balance), and one loss, the cosine softmax
 * cross-entropy towards fixed binary target codes of the classes ({@link OrthoCosLoss},
 * {@link TargetCodes}); label smoothing for multi-label data. Adam with L2 weight decay, the
 * backbone at a fraction of the learning rate, the rate divided by 10 at 80 % of the epochs.
 */
public final class OrthoHash implements DeepMethod<OrthoHash.Config> {

    /** The method, as registered in {@link DeepMethods}. */
    public static final OrthoHash METHOD = new OrthoHash();

    /**
     * OrthoHash's settings. The reference code's values are for a pre-trained AlexNet (lr 1e-4, backbone
     * x0.1, batch 256, 100 epochs); the defaults here are for the small CNN trained from scratch.
     *
     * @param targets how the classes' target codes are drawn (seeded by the training seed)
     */
    public record Config(int bits, String backbone, Training.Settings training, OrthoCosLoss loss, TargetCodes.Kind targets)
            implements DeepConfig {

        public Config {
            BinaryCodes.checkBits(bits);
        }

        /**
         * Batch 64, Adam at lr 1e-3 with weight decay 5e-4, the step schedule (the reference code's), 30
         * epochs, no augmentation (so the BatchNorm statistics training leaves are of real images and need
         * no re-estimate), {@link OrthoCosLoss#defaults}, Bernoulli target codes.
         */
        public static Config defaults(int bits, String backbone, long seed) {
            Training.Settings t = new Training.Settings(30, 64, 1e-3f, 1f, 5e-4f, Training.Optimiser.ADAM, Training.Schedule.STEP,
                    Augmentation.none(), seed, false);
            return new Config(bits, backbone, t, OrthoCosLoss.defaults(), TargetCodes.Kind.BERNOULLI);
        }

        /** A copy with other training settings. */
        public Config withTraining(Training.Settings t) {
            return new Config(bits, backbone, t, loss, targets);
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>(training().describe());
            m.put("scale", loss.scale());
            m.put("margin", loss.margin());
            m.put("margin_type", loss.arc() ? "arc" : "cos");
            m.put("target_codes", targets.name().toLowerCase(Locale.ROOT));
            m.put("hash_layer", DeepHashFunction.HashLayer.BN.id());
            return m;
        }
    }

    private OrthoHash() {
    }

    @Override
    public String name() {
        return "orthohash";
    }

    @Override
    public String summary() {
        return "supervised: one cosine loss towards binary orthogonal target codes of the classes";
    }

    @Override
    public boolean supervised() {
        return true;
    }

    @Override
    public Config defaults(int bits, String backbone, ImageShape shape, long seed) {
        return Config.defaults(bits, backbone, seed);
    }

    @Override
    public List<Setting<Config>> settings() {
        return List.of(
                new Setting<>("scale", "S|sqrt", "Cosine scale s, or sqrt for the paper's sqrt(bits).", c -> c.loss().scale(),
                        (c, v) -> Records.with(c, "loss.scale", v.equalsIgnoreCase("sqrt") ? OrthoCosLoss.sqrtScale(c.bits()) : v)),
                Setting.component("margin", "M", "Margin m.", "loss.margin"),
                Setting.component("arc", null, "OrthoArc: an angular margin instead of the cosine margin.", "loss.arc"),
                Setting.component("target-codes", "bernoulli|maxhd|hadamard", "How the classes' target codes are drawn.", "targets"));
    }

    @Override
    public TrainingTask task(Config c, ImageShape shape, MultiHotLabels labels) {
        if (labels == null) {
            throw new IllegalArgumentException("orthohash is supervised: it needs the training items' labels");
        }
        SequentialBlock network = DeepHashFunction.network(c.backbone(), c.bits(), DeepHashFunction.HashLayer.BN);
        network.getChildren().get(1).getValue().setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
        return new TrainingTask(name(), c, shape, network, network, false, 1, labels, new Objective(c, labels.numClasses()));
    }

    /** Trains on {@code x} (rows of {@code shape} values) with labels {@code y}. */
    public static DeepHashFunction train(Config c, FeatureMatrix x, MultiHotLabels y, ImageShape shape, Training.EpochListener listener,
            ProgressListener progress) {
        return train(c, x, y, shape, listener, progress, null);
    }

    /** Trains, saving and resuming checkpoints as {@code checkpoints} says ({@code null}: none). */
    public static DeepHashFunction train(Config c, FeatureMatrix x, MultiHotLabels y, ImageShape shape, Training.EpochListener listener,
            ProgressListener progress, Training.Checkpoints checkpoints) {
        return DeepRecipe.of(METHOD, c).train(x, y, shape, listener, progress, checkpoints);
    }

    /** The cosine loss towards the class target codes. */
    private static final class Objective implements TrainingTask.Objective {
        private final Config config;
        private final int classes;
        private NDArray targets;

        Objective(Config config, int classes) {
            this.config = config;
            this.classes = classes;
        }

        @Override
        public void prepare(NDManager manager) {
            targets = manager.create(TargetCodes.generate(config.targets(), classes, config.bits(), config.training().seed()))
                    .reshape(classes, config.bits());
        }

        @Override
        public NDArray loss(Trainer trainer, NDArray[] views, NDArray labels) {
            NDArray v = trainer.forward(new NDList(views[0])).singletonOrThrow();
            return config.loss().compute(v, labels, targets);
        }
    }
}
