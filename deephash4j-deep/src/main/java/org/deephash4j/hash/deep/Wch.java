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
import org.deephash4j.nn.Backbones;
import org.deephash4j.nn.MutualAttention;
import org.deephash4j.nn.loss.Quantisation;
import org.deephash4j.nn.loss.WeightedContrastiveLoss;
import org.deephash4j.nn.loss.WeightedSimilarity;
import org.deephash4j.util.ProgressListener;

/**
 * WCH, Weighted Contrastive Hashing (Yu et al., ACCV 2022; methods.md §3), unsupervised: the patch
 * tokens of two augmented views pass through a parameter-free mutual attention that re-expresses each
 * view in the other's layout; the attended tokens are pooled, normalised (LayerNorm) and hashed (MLP,
 * tanh, straight-through sign); the patch-level similarities between the batch's images, aggregated
 * into weights ({@link WeightedSimilarity}), are distilled into the code-similarity distribution
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
     *     methods trained from scratch: BatchNorm without affine parameters before tanh)
     * @param attentionTemperature T of the mutual attention (1)
     * @param mutualAttention use the mutual attention (off: an ablation, each view pools its own tokens)
     * @param weighted soft targets from the weighted similarity (off: an ablation, one-hot targets, i.e.
     *     plain contrastive learning between the two views' codes)
     */
    public record Config(int bits, String backbone, Training.Settings training, DeepHashFunction.HashLayer hashLayer,
            float attentionTemperature, boolean mutualAttention, boolean weighted, WeightedSimilarity similarity,
            WeightedContrastiveLoss loss) {

        public Config {
            BinaryCodes.checkBits(bits);
            if (hashLayer != DeepHashFunction.HashLayer.MLP_LN && hashLayer != DeepHashFunction.HashLayer.MLP_LN_BN) {
                throw new IllegalArgumentException("wch's head is mlp-ln or mlp-ln-bn, got " + hashLayer.id());
            }
            if (!(attentionTemperature > 0)) {
                throw new IllegalArgumentException("attention temperature must be > 0, got " + attentionTemperature);
            }
        }

        /**
         * The official code's method settings (T 1, T_w 0.2, τ 0.3, weights not detached, balance weight
         * 1) with the training budget of the NSH table (batch 64, Adam lr 1e-3, constant rate, 30 epochs):
         * the official lr 1e-5 and 50 epochs are for fine-tuning a pre-trained ViT-B/16.
         */
        public static Config defaults(int bits, String backbone, Augmentation augmentation, long seed) {
            Training.Settings t = new Training.Settings(30, 64, 1e-3f, 1f, 0f, Training.Optimiser.ADAM, Training.Schedule.CONSTANT,
                    augmentation, seed);
            return new Config(bits, backbone, t, DeepHashFunction.HashLayer.MLP_LN_BN, 1f, true, true, WeightedSimilarity.defaults(), WeightedContrastiveLoss.defaults());
        }

        /** Everything, for the saved model's configuration. */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>(training.describe());
            m.put("mutual_attention", mutualAttention ? "parameter-free, T " + attentionTemperature : "none (ablation)");
            m.put("targets", weighted ? "weighted similarity" : "one-hot (ablation: plain contrastive)");
            m.put("weight_temperature", similarity.temperature());
            m.put("weights_detached", similarity.stopGradient());
            m.put("weight_rows_normalised", similarity.normaliseRows());
            m.put("tau", loss.temperature());
            m.put("balance_weight", loss.balanceWeight());
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
        private final TwoViews training;

        Task(Config c, ImageShape shape) {
            super("wch", c.bits(), c.backbone(), c.hashLayer(), shape, c.describe());
            this.config = c;
            this.training = new TwoViews(Backbones.tokens(c.backbone(), network.getChildren().get(0).getValue()), hashHead(), c);
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
            NDArray h1 = Quantisation.straightThroughSign(out.get(0).tanh());
            NDArray h2 = Quantisation.straightThroughSign(out.get(1).tanh());
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
        private final Config config;

        TwoViews(Block tokens, Block head, Config config) {
            super((byte) 1);
            this.tokens = addChildBlock("tokens", tokens);
            this.head = addChildBlock("head", head);
            this.config = config;
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray t1 = tokens.forward(store, new NDList(inputs.get(0)), training).singletonOrThrow();
            NDArray t2 = tokens.forward(store, new NDList(inputs.get(1)), training).singletonOrThrow();
            NDList attended = config.mutualAttention() ? MutualAttention.apply(t1, t2, config.attentionTemperature())
                    : new NDList(t1, t2);
            NDArray u1 = head.forward(store, new NDList(attended.get(0).mean(new int[] {1})), training).singletonOrThrow();
            NDArray u2 = head.forward(store, new NDList(attended.get(1).mean(new int[] {1})), training).singletonOrThrow();
            return new NDList(u1, u2, attended.get(0), attended.get(1));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            tokens.initialize(manager, dataType, inputShapes[0]);
            Shape t = tokens.getOutputShapes(new Shape[] {inputShapes[0]})[0];
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
