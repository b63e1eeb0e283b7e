package org.deephash4j.hash.deep;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import org.deephash4j.data.MultiHotLabels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.nn.loss.Norms;
import org.deephash4j.nn.loss.NshLoss;
import org.deephash4j.util.ProgressListener;
import org.deephash4j.util.Records;

/**
 * NSH, Naturally-Sorted Hashing (Yu et al., IJCAI 2022), unsupervised: two augmented
 * views of each image through a shared backbone with a hash head (tanh codes) and a latent head
 * (L2-normalised); every anchor's batch is sorted by code similarity with SoftSort and the sorted
 * latents are trained with SortedNCE ({@link NshLoss}). The hash layer's BatchNorm without affine
 * parameters keeps the bits from collapsing when training from scratch; at encoding
 * time the code is the sign of the hash layer's output with BatchNorm's running statistics. The
 * defaults' τ_sort is 1/64 at every code length, chosen on a validation split; the spec's 1/K is the
 * variant {@code nsh-spec}.
 */
public final class Nsh implements DeepMethod<Nsh.Config> {

    /** The method, as registered in {@link DeepMethods}. */
    public static final Nsh METHOD = new Nsh();

    private Nsh() {
    }

    /**
     * NSH's settings.
     *
     * @param latentDim d_z, the latent head's width
     * @param hashLayer the balance mechanism: {@code BN_NO_AFFINE} (default) or none ({@code LINEAR})
     */
    public record Config(int bits, String backbone, Training.Settings training, DeepHashFunction.HashLayer hashLayer, int latentDim,
            NshLoss loss) implements DeepConfig {

        public Config {
            BinaryCodes.checkBits(bits);
            if (latentDim < 1) {
                throw new IllegalArgumentException("latent dimension must be >= 1, got " + latentDim);
            }
        }

        /**
         * The reference run's settings: batch 64, Adam lr 1e-3 without weight decay, constant rate, 30
         * epochs, d_z 128, hash-BN on, {@link NshLoss#defaults} but τ_sort 1/64 at every code length
         * ({@link NshLoss#FROM_SCRATCH_SORT_TEMPERATURE}, the same as the spec's 1/K at 64 bits, far better
         * below); and, unlike the reference run, the BatchNorm statistics re-estimated on the un-augmented
         * training images after training ({@link Training.Settings#reestimateBatchNorm}).
         */
        public static Config defaults(int bits, String backbone, Augmentation augmentation, long seed) {
            NshLoss loss = Records.with(NshLoss.defaults(bits), "sortTemperature", NshLoss.FROM_SCRATCH_SORT_TEMPERATURE);
            return new Config(bits, backbone, Training.Settings.defaults(augmentation, seed), DeepHashFunction.HashLayer.BN_NO_AFFINE, 128,
                    loss);
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>(training.describe());
            m.putAll(loss.describe());
            m.put("latent_dim", latentDim);
            return TwoViewTask.describe(m, hashLayer);
        }
    }

    @Override
    public String name() {
        return "nsh";
    }

    @Override
    public String summary() {
        return "unsupervised: SoftSort of each anchor's batch by code similarity, SortedNCE on the sorted latents";
    }

    @Override
    public boolean supervised() {
        return false;
    }

    /**
     * Grey images: the reference run's digit views. Colour images: SDC's {@code mocov2} pair from scratch;
     * on a pretrained network the milder natural-image views (crops down to half the image, not a fifth),
     * chosen on the emoji validation split (docs/pretrained.md).
     */
    @Override
    public Config defaults(int bits, String backbone, ImageShape shape, long seed) {
        Augmentation colour = org.deephash4j.nn.PretrainedBackbone.isPretrained(backbone) ? Augmentation.naturalImages() : Augmentation.mocov2();
        return Config.defaults(bits, backbone, shape.channels() == 1 ? Augmentation.digits() : colour, seed);
    }

    @Override
    public List<Setting<Config>> settings() {
        return List.of(
                TwoViewTask.balance(Config::hashLayer),
                TwoViewTask.head(Config::hashLayer),
                Setting.component("positives", "M", "Ranks counted as positives in SortedNCE.", "loss.positives"),
                Setting.component("tau-nce", "T", "SortedNCE temperature.", "loss.nceTemperature"),
                Setting.component("tau-sort", "T", "SoftSort temperature (the spec's is 1/bits).", "loss.sortTemperature"),
                Setting.component("hard-sort", null, "Straight-through hard permutation in SoftSort.", "loss.hardSort"),
                Setting.component("score", "dot|cosine", "Score of a sorted latent against the anchor.", "loss.score"),
                Setting.component("double-softmax", null, "SortedNCE with the re-implementations' softmax before the cross-entropy.",
                        "loss.doubleSoftmax"),
                Setting.component("sort", null, "Sort by code similarity (--no-sort, an ablation: InfoNCE on the latents, the codes "
                        + "learn from the quantisation loss only).", "loss.sort"),
                Setting.component("latent-dim", "D", "Latent head width.", "latentDim"),
                Setting.component("quantisation-weight", "W", "Weight of the quantisation loss.", "loss.quantisationWeight"));
    }

    @Override
    public List<Variant<Config>> variants() {
        return List.of(
                new Variant<>("nsh-spec", "the spec's tau_sort 1/K", c -> Records.with(c, "loss.sortTemperature", 1f / c.bits())),
                new Variant<>("nsh-no-sort", "no sort: InfoNCE on the latents with one positive, codes from the quantisation loss",
                        c -> Records.with(Records.with(c, "loss.sort", false), "loss.positives", 1)),
                new Variant<>("nsh-m1", "one positive", c -> Records.with(c, "loss.positives", 1)),
                new Variant<>("nsh-hard-sort", "straight-through hard sort", c -> Records.with(c, "loss.hardSort", true)),
                new Variant<>("nsh-double-softmax", "SortedNCE with a softmax before the cross-entropy",
                        c -> Records.with(c, "loss.doubleSoftmax", true)),
                new Variant<>("nsh-no-balance", "no hash-BN (expect collapse)",
                        c -> Records.with(c, "hashLayer", DeepHashFunction.HashLayer.LINEAR)));
    }

    @Override
    public TrainingTask task(Config c, ImageShape shape, MultiHotLabels labels) {
        SequentialBlock encoder = DeepHashFunction.network(c.backbone(), c.bits(), c.hashLayer());
        Block latent = new SequentialBlock().add(Linear.builder().setUnits(c.latentDim()).build())
                .add(new LambdaBlock(list -> new NDList(Norms.unitRows(list.singletonOrThrow()))));
        Block heads = new ParallelBlock(lists -> new NDList(lists.get(0).singletonOrThrow(), lists.get(1).singletonOrThrow()),
                List.of(TwoViewTask.hashHead(encoder), latent));
        Block training = new SequentialBlock().add(encoder.getChildren().get(0).getValue()).add(heads);
        return TwoViewTask.of(name(), c, shape, encoder, training, false, (trainer, views, labels1) -> {
            NDList one = trainer.forward(new NDList(views[0]));
            NDList two = trainer.forward(new NDList(views[1]));
            return c.loss().compute(one.get(0).tanh(), two.get(0).tanh(), one.get(1), two.get(1));
        });
    }

    /** Trains on the rows of {@code x} (images of {@code shape}); no labels are used. */
    public static DeepHashFunction train(Config c, FeatureMatrix x, ImageShape shape, Training.EpochListener listener,
            ProgressListener progress, Training.Checkpoints checkpoints) {
        return DeepRecipe.of(METHOD, c).train(x, null, shape, listener, progress, checkpoints);
    }
}
