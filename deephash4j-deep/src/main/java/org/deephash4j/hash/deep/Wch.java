package org.deephash4j.hash.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.nn.SequentialBlock;
import java.util.List;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.util.Records;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.nn.AttendedPooling;
import org.deephash4j.nn.Backbones;
import org.deephash4j.nn.LearnedMutualAttention;
import org.deephash4j.nn.MutualAttention;
import org.deephash4j.nn.loss.Quantisation;
import org.deephash4j.nn.loss.WeightedContrastiveLoss;
import org.deephash4j.nn.loss.WeightedSimilarity;
import org.deephash4j.util.ProgressListener;

/**
 * WCH, Weighted Contrastive Hashing (Yu et al., ACCV 2022), unsupervised: the patch
 * tokens of two augmented views pass through a parameter-free mutual attention that re-expresses each
 * view in the other's layout; the attended tokens are pooled and hashed (the official LayerNorm and MLP,
 * or as an option a linear layer with BatchNorm; tanh, straight-through sign); the patch-level
 * similarities between the batch's images, aggregated into weights ({@link WeightedSimilarity}), are distilled into the code-similarity distribution
 * ({@link WeightedContrastiveLoss}). At encoding time one image's raw tokens are pooled (no
 * attention), as in the official code.
 */
public final class Wch implements DeepMethod<Wch.Config> {

    /** The method, as registered in {@link DeepMethods}. */
    public static final Wch METHOD = new Wch();

    private Wch() {
    }

    /**
     * WCH's settings.
     *
     * @param hashLayer the head: {@code MLP_LN} (official) or {@code MLP_LN_BN} (with the balance fix of
     *     methods trained from scratch: BatchNorm without affine parameters before tanh); {@code LINEAR} or
     *     {@code BN_NO_AFFINE}: the NSH and contrastive baselines' single linear layer on the pooled tokens
     * @param straightThrough train on sign codes with tanh's gradient (official); off: on the tanh codes
     *     themselves, as the contrastive baseline
     * @param attentionTemperature T of the parameter-free mutual attention
     * @param attention the mutual attention: parameter-free (official), learned projections, or none (an
     *     ablation: each view pools its own tokens)
     * @param weighted soft targets from the weighted similarity (off: an ablation, one-hot targets, i.e.
     *     plain contrastive learning between the two views' codes)
     * @param attendedEncoding at encoding time, let the image's tokens attend to themselves before
     *     pooling ({@link AttendedPooling}); off: pool the raw tokens, as the official code
     */
    public record Config(int bits, String backbone, Training.Settings training, DeepHashFunction.HashLayer hashLayer,
            boolean straightThrough, float attentionTemperature, Attention attention, boolean weighted, boolean attendedEncoding,
            WeightedSimilarity similarity, WeightedContrastiveLoss loss) implements DeepConfig {

        public Config {
            BinaryCodes.checkBits(bits);
            if (hashLayer == DeepHashFunction.HashLayer.BN) {
                throw new IllegalArgumentException("wch's head is mlp-ln, mlp-ln-bn, linear or bn-no-affine, got " + hashLayer.id());
            }
            if (!(attentionTemperature > 0)) {
                throw new IllegalArgumentException("attention temperature must be > 0, got " + attentionTemperature);
            }
            if (attendedEncoding && attention != Attention.PARAMETER_FREE) {
                throw new IllegalArgumentException("attended encoding uses the parameter-free attention; it needs --attention parameter-free");
            }
        }

        /**
         * The official code's method settings (parameter-free attention, tau 0.3, weights not detached,
         * balance weight 1) with what training from scratch needs: the training budget of the NSH table
         * (batch 64, Adam lr 1e-3, constant rate, 30 epochs; the official lr 1e-5 and 50 epochs are for
         * fine-tuning a pre-trained ViT-B/16), the NSH and contrastive baselines' hash layer (one linear
         * layer and BatchNorm without affine parameters on the pooled tokens) instead of the official MLP,
         * T_w 0.02 instead of 0.2 and the attention's T 0.1 instead of 1, chosen on a validation split
         * (docs/methods/wch.md); and, as NSH, the BatchNorm statistics re-estimated on the un-augmented
         * training images after training.
         */
        public static Config defaults(int bits, String backbone, Augmentation augmentation, long seed) {
            return new Config(bits, backbone, Training.Settings.defaults(augmentation, seed), DeepHashFunction.HashLayer.BN_NO_AFFINE, true,
                    FROM_SCRATCH_ATTENTION_TEMPERATURE, Attention.PARAMETER_FREE, true, false, similarity(FROM_SCRATCH_WEIGHT_TEMPERATURE),
                    WeightedContrastiveLoss.defaults());
        }

        /**
         * {@link #defaults} with the official MLP hash head (LayerNorm, 1024, ReLU, linear) plus the
         * hash-BN balance fix, and the T_w that suits it, {@link Wch#MLP_HEAD_WEIGHT_TEMPERATURE}. It trains
         * clearly worse from scratch than the linear head.
         */
        public static Config mlpHead(int bits, String backbone, Augmentation augmentation, long seed) {
            return withHead(defaults(bits, backbone, augmentation, seed), true);
        }

        /**
         * The official weighted-similarity settings at temperature {@code weightTemperature}, except that
         * the weights are bounded ({@link #WEIGHT_BOUND}; the official unbounded form is {@code --weight-bound none}).
         */
        private static WeightedSimilarity similarity(float weightTemperature) {
            return new WeightedSimilarity(weightTemperature, false, WEIGHT_BOUND, WeightedSimilarity.official().block());
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>(training.describe());
            m.put("codes_in_training", straightThrough ? "sign, straight-through (tanh gradient)" : "tanh");
            m.put("mutual_attention", switch (attention) {
                case PARAMETER_FREE -> "parameter-free, T " + attentionTemperature;
                case LEARNED -> "learned Q/K/V projections, residual, LayerNorm";
                case NONE -> "none (ablation)";
            });
            m.put(ENCODE_POOLING, attendedEncoding ? SELF_ATTENTION : "mean of raw tokens");
            m.put(ATTENTION_TEMPERATURE, attentionTemperature);
            m.put("targets", weighted ? "weighted similarity" : "one-hot (ablation: plain contrastive)");
            m.put("weight_temperature", similarity.temperature());
            m.put("weights_detached", similarity.stopGradient());
            m.put("weight_bound", similarity.bound().name().toLowerCase(java.util.Locale.ROOT));
            m.put("tau", loss.temperature());
            m.put("balance_weight", loss.balanceWeight());
            m.put("loss_directions", loss.symmetric() ? "both (symmetric)" : "view 1 against view 2 (official)");
            return TwoViewTask.describe(m, hashLayer);
        }
    }

    /** {@code c} with the MLP head or the linear one (balance kept), and the T_w that suits the head. */
    static Config withHead(Config c, boolean mlp) {
        Config headed = Records.with(c, "hashLayer", c.hashLayer().withMlp(mlp));
        return Records.with(headed, "similarity.temperature", mlp ? MLP_HEAD_WEIGHT_TEMPERATURE : FROM_SCRATCH_WEIGHT_TEMPERATURE);
    }

    /**
     * The default bound on the weights, chosen on a validation split (docs/methods/wch.md): unbounded, the
     * loss reached 150,917 in a from-scratch colour run.
     */
    static final WeightedSimilarity.Bound WEIGHT_BOUND = WeightedSimilarity.Bound.CLIP;

    @Override
    public String name() {
        return "wch";
    }

    @Override
    public String summary() {
        return "unsupervised: mutual attention between two views' patch tokens, patch-level weighted similarity as soft targets";
    }

    @Override
    public boolean patchTokens() {
        return true;
    }

    @Override
    public boolean supervised() {
        return false;
    }

    @Override
    public Config defaults(int bits, String backbone, ImageShape shape, long seed) {
        return Config.defaults(bits, backbone, shape.channels() == 1 ? Augmentation.digits() : Augmentation.naturalImages(), seed);
    }

    @Override
    public List<Setting<Config>> settings() {
        return List.of(
                TwoViewTask.balance(Config::hashLayer),
                new Setting<>("head", "linear|mlp", "The hash head on the pooled tokens: the baselines' single linear layer, or the "
                        + "official MLP (LayerNorm, 1024, ReLU, linear), which trains far worse from scratch; sets the weight "
                        + "temperature that suits it unless --weight-temperature is given.",
                        c -> c.hashLayer().mlp() ? "mlp" : "linear", (c, v) -> withHead(c, TwoViewTask.isMlp(v))),
                Setting.component("tau-nce", "T", "Code-similarity temperature tau.", "loss.temperature"),
                Setting.component("quantisation-weight", "W", "Weight of the bit-balance term.", "loss.balanceWeight"),
                Setting.component("attention", "parameter-free|learned|none", "The mutual attention: the official parameter-free "
                        + "one, learned Q/K/V projections with a residual and LayerNorm, or none (an ablation).", "attention"),
                Setting.component("attention-temperature", "T", "Mutual attention temperature (the official code's is 1).",
                        "attentionTemperature"),
                Setting.component("weight-temperature", "T", "Weighted-similarity softmax temperature T_w (the official code's is 0.2).",
                        "similarity.temperature"),
                Setting.component("weights", null, "Soft targets from the weighted similarity (--no-weights, an ablation: one-hot "
                        + "targets, plain contrastive).", "weighted"),
                Setting.component("attended-encoding", null, "At encoding time the image's tokens attend to themselves before pooling, "
                        + "like the training views' (the official code pools the raw tokens).", "attendedEncoding"),
                Setting.component("detach-weights", null, "Stop-gradient on the weights (the official code lets gradients through).",
                        "similarity.stopGradient"),
                Setting.component("weight-bound", "clip|rows|none", "Bound on the weights: each at most the positive pair's 1 (clip), "
                        + "each row a distribution (rows), or none (the official code's: unbounded loss).", "similarity.bound"),
                new Setting<>("tanh-codes", null, "Train on the tanh codes instead of straight-through signs (the official code's), as "
                        + "the contrastive baseline does.", c -> !c.straightThrough(),
                        (c, v) -> Records.with(c, "straightThrough", !(Boolean) Records.parse(v, boolean.class))),
                Setting.component("symmetric", null, "The loss in both directions (view 2 against view 1 with the transposed weights "
                        + "too), as NT-Xent; the official code uses view 1 against view 2 only.", "loss.symmetric"));
    }

    @Override
    public List<Variant<Config>> variants() {
        return List.of(
                new Variant<>("wch-no-attention", "no mutual attention", c -> Records.with(c, "attention", Attention.NONE)),
                new Variant<>("wch-no-weights", "one-hot targets instead of the weighted similarity", c -> Records.with(c, "weighted", false)),
                new Variant<>("wch-plain", "neither: plain contrastive on WCH's network",
                        c -> Records.with(Records.with(c, "attention", Attention.NONE), "weighted", false)),
                new Variant<>("wch-symmetric", "the loss in both directions", c -> Records.with(c, "loss.symmetric", true)),
                new Variant<>("wch-mlp", "the official MLP hash head, T_w " + MLP_HEAD_WEIGHT_TEMPERATURE, c -> withHead(c, true)));
    }

    @Override
    public TrainingTask task(Config c, ImageShape shape, MultiHotLabels labels) {
        SequentialBlock encoder = DeepHashFunction.network(encodingBackbone(c), c.bits(), c.hashLayer());
        Block backbone = encoder.getChildren().get(0).getValue();
        Block tokens = backbone instanceof AttendedPooling a ? a.tokens() : Backbones.tokens(c.backbone(), backbone);
        TwoViews training = new TwoViews(tokens, TwoViewTask.hashHead(encoder), c, tokenDim(tokens, shape));
        return TwoViewTask.of(name(), c, shape, encoder, training, true, (trainer, views, labels1) -> {
            NDList out = trainer.forward(new NDList(views[0], views[1]));
            NDArray h1 = out.get(0).tanh();
            NDArray h2 = out.get(1).tanh();
            if (c.straightThrough()) {
                h1 = Quantisation.straightThroughSign(h1);
                h2 = Quantisation.straightThroughSign(h2);
            }
            NDArray w = c.weighted() ? c.similarity().weights(out.get(2), out.get(3)) : h1.getManager().eye((int) h1.getShape().get(0));
            return c.loss().compute(h1, h2, w);
        });
    }

    @Override
    public Block encodingBackbone(Map<String, Object> config, String name, Block backbone) {
        if (!SELF_ATTENTION.equals(config.get(ENCODE_POOLING))) {
            return backbone;
        }
        return new AttendedPooling(name, backbone, ((Number) config.get(ATTENTION_TEMPERATURE)).floatValue());
    }

    /** Trains on the rows of {@code x} (images of {@code shape}); no labels are used. */
    public static DeepHashFunction train(Config c, FeatureMatrix x, ImageShape shape, Training.EpochListener listener,
            ProgressListener progress, Training.Checkpoints checkpoints) {
        return DeepRecipe.of(METHOD, c).train(x, null, shape, listener, progress, checkpoints);
    }

    /**
     * T_w of the defaults: far sharper than the official 0.2, whose weights are near 1 for every pair of
     * from-scratch tokens.
     */
    public static final float FROM_SCRATCH_WEIGHT_TEMPERATURE = 0.02f;

    /** T_w of {@link Config#mlpHead}. */
    public static final float MLP_HEAD_WEIGHT_TEMPERATURE = 0.05f;

    /**
     * T of the defaults' mutual attention: sharper than the official 1. The cosines of from-scratch
     * tokens (non-negative CNN features) lie in [0, 1], so at T 1 every token attends almost uniformly
     * and each attended token is close to the image's mean token; pre-trained ViT tokens are peaked.
     */
    public static final float FROM_SCRATCH_ATTENTION_TEMPERATURE = 0.1f;

    /** WCH's mutual attention between the two views' tokens. */
    public enum Attention {
        /** The official code's: cosine similarities, softmax at T, no parameters ({@link MutualAttention}). */
        PARAMETER_FREE,
        /** Learned query / key / value projections with a residual and LayerNorm ({@link LearnedMutualAttention}). */
        LEARNED,
        /** None: the ablation. */
        NONE
    }

    /** Config key of the encoding-time pooling, and its value when tokens attend to themselves first. */
    static final String ENCODE_POOLING = "encode_pooling";
    static final String SELF_ATTENTION = "self-attention";
    static final String ATTENTION_TEMPERATURE = "attention_temperature";

    /** The dimension of the tokens {@code tokens} gives for images of {@code shape}. */
    private static int tokenDim(Block tokens, ImageShape shape) {
        return (int) tokens.getOutputShapes(new Shape[] {DeepHashFunction.inputShape(shape, 1)})[0].get(2);
    }

    /** The backbone the saved model encodes with: pooled raw tokens, or self-attended tokens. */
    private static Block encodingBackbone(Config c) {
        Block b = Backbones.create(c.backbone());
        return c.attendedEncoding() ? new AttendedPooling(c.backbone(), b, c.attentionTemperature()) : b;
    }

    /**
     * WCH's training network: both views' tokens, the mutual attention, pooling and the hash head.
     * Outputs the two views' hash-head outputs (before tanh) and their attended tokens.
     */
    private static final class TwoViews extends AbstractBlock {
        private final Block tokens;
        private final Block head;
        private final Block attention;
        private final Config config;

        TwoViews(Block tokens, Block head, Config config, int tokenDim) {
            super((byte) 1);
            this.tokens = addChildBlock("tokens", tokens);
            this.head = addChildBlock("head", head);
            this.attention = config.attention() == Attention.LEARNED ? addChildBlock("attention", new LearnedMutualAttention(tokenDim)) : null;
            this.config = config;
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray t1 = tokens.forward(store, new NDList(inputs.get(0)), training).singletonOrThrow();
            NDArray t2 = tokens.forward(store, new NDList(inputs.get(1)), training).singletonOrThrow();
            NDList attended = switch (config.attention()) {
                case PARAMETER_FREE -> MutualAttention.apply(t1, t2, config.attentionTemperature());
                case LEARNED -> attention.forward(store, new NDList(t1, t2), training);
                case NONE -> new NDList(t1, t2);
            };
            NDArray u1 = head.forward(store, new NDList(attended.get(0).mean(new int[] {1})), training).singletonOrThrow();
            NDArray u2 = head.forward(store, new NDList(attended.get(1).mean(new int[] {1})), training).singletonOrThrow();
            return new NDList(u1, u2, attended.get(0), attended.get(1));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            tokens.initialize(manager, dataType, inputShapes[0]);
            Shape t = tokens.getOutputShapes(new Shape[] {inputShapes[0]})[0];
            if (attention != null) {
                attention.initialize(manager, dataType, t, t);
            }
            head.initialize(manager, dataType, new Shape(t.get(0), t.get(2)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape t = tokens.getOutputShapes(new Shape[] {inputShapes[0]})[0];
            Shape u = head.getOutputShapes(new Shape[] {new Shape(t.get(0), t.get(2))})[0];
            return new Shape[] {u, u, t, t};
        }
    }
}
