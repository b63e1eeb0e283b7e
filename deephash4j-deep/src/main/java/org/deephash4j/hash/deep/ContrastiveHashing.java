package org.deephash4j.hash.deep;

import ai.djl.ndarray.NDList;
import ai.djl.nn.SequentialBlock;
import java.util.List;
import org.deephash4j.data.MultiHotLabels;
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
public final class ContrastiveHashing implements DeepMethod<ContrastiveHashing.Config> {

    /** The method, as registered in {@link DeepMethods}. */
    public static final ContrastiveHashing METHOD = new ContrastiveHashing();

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
            float temperature, boolean straightThrough, float quantisationWeight) implements DeepConfig {

        public Config {
            BinaryCodes.checkBits(bits);
            new NtXent(temperature);
            if (!(quantisationWeight >= 0)) {
                throw new IllegalArgumentException("quantisation weight must be >= 0, got " + quantisationWeight);
            }
        }

        /** The reference run's settings: NSH's training settings, τ 0.3 on tanh codes, λ_q 1, hash-BN on. */
        public static Config defaults(int bits, String backbone, Augmentation augmentation, long seed) {
            Nsh.Config n = Nsh.Config.defaults(bits, backbone, augmentation, seed);
            return new Config(bits, backbone, n.training(), n.hashLayer(), 0.3f, false, 1f);
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>(training.describe());
            m.put("loss", "NT-Xent on the codes");
            m.put("temperature", temperature);
            m.put("codes_in_training", straightThrough ? "sign, straight-through (tanh gradient)" : "tanh");
            m.put("quantisation_weight", quantisationWeight);
            return TwoViewTask.describe(m, hashLayer);
        }
    }

    @Override
    public String name() {
        return "contrastive";
    }

    @Override
    public String summary() {
        return "unsupervised baseline: NT-Xent between the two views' codes plus the quantisation loss";
    }

    @Override
    public boolean supervised() {
        return false;
    }

    @Override
    public Config defaults(int bits, String backbone, ImageShape shape, long seed) {
        return Config.defaults(bits, backbone, Nsh.METHOD.defaults(bits, backbone, shape, seed).training().augmentation(), seed);
    }

    @Override
    public List<Setting<Config>> settings() {
        return List.of(
                TwoViewTask.balance(Config::hashLayer),
                TwoViewTask.head(Config::hashLayer),
                Setting.component("tau-nce", "T", "NT-Xent temperature.", "temperature"),
                Setting.component("straight-through", null, "Sign codes with tanh's gradient instead of tanh codes.", "straightThrough"),
                Setting.component("quantisation-weight", "W", "Weight of the quantisation loss.", "quantisationWeight"));
    }

    @Override
    public List<Variant<Config>> variants() {
        return List.of(new Variant<>("contrastive-st", "straight-through sign codes",
                c -> org.deephash4j.util.Records.with(c, "straightThrough", true)));
    }

    @Override
    public TrainingTask task(Config c, ImageShape shape, MultiHotLabels labels) {
        SequentialBlock network = DeepHashFunction.network(c.backbone(), c.bits(), c.hashLayer());
        NtXent ntXent = new NtXent(c.temperature());
        return TwoViewTask.of(name(), c, shape, network, network, false, (trainer, views, labels1) -> {
            var b1 = trainer.forward(new NDList(views[0])).singletonOrThrow().tanh();
            var b2 = trainer.forward(new NDList(views[1])).singletonOrThrow().tanh();
            var quantisation = Quantisation.loss(b1, b2).mul(c.quantisationWeight());
            if (c.straightThrough()) {
                b1 = Quantisation.straightThroughSign(b1);
                b2 = Quantisation.straightThroughSign(b2);
            }
            return ntXent.compute(b1, b2).add(quantisation);
        });
    }

    /** Trains on the rows of {@code x} (images of {@code shape}); no labels are used. */
    public static DeepHashFunction train(Config c, FeatureMatrix x, ImageShape shape, Training.EpochListener listener,
            ProgressListener progress, Training.Checkpoints checkpoints) {
        return DeepRecipe.of(METHOD, c).train(x, null, shape, listener, progress, checkpoints);
    }
}
