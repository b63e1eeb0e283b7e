package org.deephash4j.hash.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.nn.loss.NtXent;
import org.deephash4j.nn.loss.Quantisation;
import org.deephash4j.util.ProgressListener;

/**
 * The plain contrastive hashing baseline the unsupervised methods are measured against (CIBHash
 * style): NT-Xent between the two views' relaxed codes themselves (tanh, or the straight-through
 * sign), plus the quantisation loss; no sort, no latent head. Same backbone, augmentation and balance
 * mechanism as {@link Nsh}, so a difference between the two is the sort's doing.
 */
public final class ContrastiveHashing {

    private ContrastiveHashing() {
    }

    /**
     * The baseline's settings.
     *
     * @param temperature NT-Xent's τ
     * @param straightThrough codes are sign(v) in the forward pass with tanh's gradient, instead of tanh(v)
     * @param quantisationWeight λ_q
     */
    public record Config(int bits, String backbone, Training.Settings training, DeepHashFunction.HashLayer hashLayer,
            float temperature, boolean straightThrough, float quantisationWeight) {

        public Config {
            BinaryCodes.checkBits(bits);
            new NtXent(temperature);
            if (!(quantisationWeight >= 0)) {
                throw new IllegalArgumentException("quantisation weight must be >= 0, got " + quantisationWeight);
            }
        }

        /** The reference run's settings (nsh-notes.md): NSH's training settings, τ 0.3 on tanh codes, λ_q 1, hash-BN on. */
        public static Config defaults(int bits, String backbone, Augmentation augmentation, long seed) {
            Nsh.Config n = Nsh.Config.defaults(bits, backbone, augmentation, seed);
            return new Config(bits, backbone, n.training(), n.hashLayer(), 0.3f, false, 1f);
        }

        /** Everything, for the saved model's configuration. */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>(training.describe());
            m.put("loss", "NT-Xent on the codes");
            m.put("temperature", temperature);
            m.put("codes_in_training", straightThrough ? "sign, straight-through (tanh gradient)" : "tanh");
            m.put("quantisation_weight", quantisationWeight);
            return m;
        }
    }

    /** Trains on the rows of {@code x} (images of {@code shape}); no labels are used. */
    public static DeepHashFunction train(Config c, FeatureMatrix x, ImageShape shape, Training.EpochListener listener,
            ProgressListener progress, Training.Checkpoints checkpoints) {
        return TrainingLoop.run(new Task(c, shape), c.training(), x, shape, listener, progress, checkpoints);
    }

    private static final class Task extends TwoViewTask {
        private final Config config;
        private final NtXent ntXent;

        Task(Config c, ImageShape shape) {
            super("contrastive", c.bits(), c.backbone(), c.hashLayer(), shape, c.describe());
            this.config = c;
            this.ntXent = new NtXent(c.temperature());
            initialiseAsPyTorch(network);
        }

        @Override
        public Block trainingBlock() {
            return network;
        }

        @Override
        public NDArray loss(Trainer trainer, NDArray[] views, NDArray labels) {
            NDArray b1 = trainer.forward(new NDList(views[0])).singletonOrThrow().tanh();
            NDArray b2 = trainer.forward(new NDList(views[1])).singletonOrThrow().tanh();
            NDArray quantisation = Quantisation.loss(b1, b2).mul(config.quantisationWeight());
            if (config.straightThrough()) {
                b1 = Quantisation.straightThroughSign(b1);
                b2 = Quantisation.straightThroughSign(b2);
            }
            return ntXent.compute(b1, b2).add(quantisation);
        }
    }
}
