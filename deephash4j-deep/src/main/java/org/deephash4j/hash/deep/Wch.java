package org.deephash4j.hash.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
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
 * WCH, Weighted Contrastive Hashing (Yu et al., ACCV 2022; methods.md §3), unsupervised: the patch
 * tokens of two augmented views pass through a parameter-free mutual attention that re-expresses each
 * view in the other's layout; the attended tokens are pooled and hashed (the official LayerNorm and MLP,
 * or as an option a linear layer with BatchNorm; tanh, straight-through sign); the patch-level
 * similarities between the batch's images, aggregated into weights ({@link WeightedSimilarity}), are distilled into the code-similarity distribution
 * ({@link WeightedContrastiveLoss}). At encoding time one image's raw tokens are pooled (no
 * attention), as in the official code.
 */
public final class Wch {

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
     * @param attentionTemperature T of the parameter-free mutual attention (1)
     * @param attention the mutual attention: parameter-free (official), learned projections, or none (an
     *     ablation: each view pools its own tokens)
     * @param weighted soft targets from the weighted similarity (off: an ablation, one-hot targets, i.e.
     *     plain contrastive learning between the two views' codes)
     * @param attendedEncoding at encoding time, let the image's tokens attend to themselves before
     *     pooling ({@link AttendedPooling}); off: pool the raw tokens, as the official code
     */
    public record Config(int bits, String backbone, Training.Settings training, DeepHashFunction.HashLayer hashLayer,
            boolean straightThrough, float attentionTemperature, Attention attention, boolean weighted, boolean attendedEncoding,
            WeightedSimilarity similarity, WeightedContrastiveLoss loss) {

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
         * T_w 0.02 instead of 0.2 and the attention's T 0.1 instead of 1; the values chosen on the validation
         * split val:mnist-ref (64 bits, 6 epochs, mAP@1000; README): with the MLP head, T 1 0.505, 0.3 0.576,
         * 0.1 0.704, 0.03 0.667; then the head: MLP 0.714, linear at T_w 0.05 0.779, 0.02 0.852, 0.01 0.840
         * (WCH's network without attention and weights: MLP 0.688, linear 0.905). And, as NSH, the BatchNorm
         * statistics re-estimated on the un-augmented training images after training: no tuned value, it
         * removes the mismatch between training's augmented views and the images encoded (its effect is
         * measured in the README).
         */
        public static Config defaults(int bits, String backbone, Augmentation augmentation, long seed) {
            Training.Settings t = new Training.Settings(30, 64, 1e-3f, 1f, 0f, Training.Optimiser.ADAM, Training.Schedule.CONSTANT,
                    augmentation, seed, true);
            return new Config(bits, backbone, t, DeepHashFunction.HashLayer.BN_NO_AFFINE, true, FROM_SCRATCH_ATTENTION_TEMPERATURE,
                    Attention.PARAMETER_FREE, true, false, similarity(FROM_SCRATCH_WEIGHT_TEMPERATURE), WeightedContrastiveLoss.defaults());
        }

        /**
         * {@link #defaults} with the official MLP hash head (LayerNorm, 1024, ReLU, linear) plus the
         * hash-BN balance fix, and the T_w that suits it, 0.05 ({@link Wch#MLP_HEAD_WEIGHT_TEMPERATURE};
         * val:mnist-ref, 64 bits, 6 epochs, attention T 1: T_w 0.2 0.457, 0.05 0.505, 0.02 0.423; at T 0.1:
         * T_w 0.05 0.704, 0.1 0.690). It trains clearly worse from scratch than the linear head (README).
         */
        public static Config mlpHead(int bits, String backbone, Augmentation augmentation, long seed) {
            Config d = defaults(bits, backbone, augmentation, seed);
            return new Config(bits, backbone, d.training(), DeepHashFunction.HashLayer.MLP_LN_BN, d.straightThrough(),
                    d.attentionTemperature(), d.attention(), d.weighted(), d.attendedEncoding(), similarity(MLP_HEAD_WEIGHT_TEMPERATURE),
                    d.loss());
        }

        /** The official weighted-similarity settings at temperature {@code weightTemperature}. */
        private static WeightedSimilarity similarity(float weightTemperature) {
            WeightedSimilarity official = WeightedSimilarity.defaults();
            return new WeightedSimilarity(weightTemperature, official.stopGradient(), official.normaliseRows(), official.block());
        }

        /** Everything, for the saved model's configuration. */
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
            m.put("weight_rows_normalised", similarity.normaliseRows());
            m.put("tau", loss.temperature());
            m.put("balance_weight", loss.balanceWeight());
            m.put("loss_directions", loss.symmetric() ? "both (symmetric)" : "view 1 against view 2 (official)");
            return m;
        }
    }

    /** Trains on the rows of {@code x} (images of {@code shape}); no labels are used. */
    public static DeepHashFunction train(Config c, FeatureMatrix x, ImageShape shape, Training.EpochListener listener,
            ProgressListener progress, Training.Checkpoints checkpoints) {
        return TrainingLoop.run(new Task(c, shape), c.training(), x, shape, listener, progress, checkpoints);
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
        /** Learned query / key / value projections with a residual and LayerNorm ({@link LearnedMutualAttention}; U10). */
        LEARNED,
        /** None: the ablation. */
        NONE;

        /** Parses {@code parameter-free}, {@code learned} or {@code none}. */
        public static Attention parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "parameter-free" -> PARAMETER_FREE;
                case "learned" -> LEARNED;
                case "none" -> NONE;
                default -> throw new IllegalArgumentException("attention must be parameter-free, learned or none, got '" + s + "'");
            };
        }
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

    /** The encoding backbone a saved WCH model with this configuration needs around {@code backbone}. */
    static Block encodingBackbone(java.util.Map<String, Object> config, String name, Block backbone) {
        if (!SELF_ATTENTION.equals(config.get(ENCODE_POOLING))) {
            return backbone;
        }
        return new AttendedPooling(name, backbone, ((Number) config.get(ATTENTION_TEMPERATURE)).floatValue());
    }

    private static final class Task extends TwoViewTask {
        private final Config config;
        private final TwoViews training;

        Task(Config c, ImageShape shape) {
            super("wch", c.bits(), c.backbone(), encodingBackbone(c), c.hashLayer(), shape, c.describe());
            this.config = c;
            Block encoder = network.getChildren().get(0).getValue();
            Block tokens = encoder instanceof AttendedPooling a ? a.tokens() : Backbones.tokens(c.backbone(), encoder);
            this.training = new TwoViews(tokens, hashHead(), c, tokenDim(tokens, shape));
            initialiseAsPyTorch(training);
        }

        @Override
        public Block trainingBlock() {
            return training;
        }

        @Override
        public Shape[] inputShapes(Shape view) {
            return new Shape[] {view, view};
        }

        @Override
        public NDArray loss(Trainer trainer, NDArray[] views, NDArray labels) {
            NDList out = trainer.forward(new NDList(views[0], views[1]));
            NDArray h1 = out.get(0).tanh();
            NDArray h2 = out.get(1).tanh();
            if (config.straightThrough()) {
                h1 = Quantisation.straightThroughSign(h1);
                h2 = Quantisation.straightThroughSign(h2);
            }
            NDArray w = config.weighted() ? config.similarity().weights(out.get(2), out.get(3))
                    : h1.getManager().eye((int) h1.getShape().get(0));
            return config.loss().compute(h1, h2, w);
        }
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
