package org.deephash4j.hash.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.ModelContents;
import org.deephash4j.nn.Backbones;
import org.deephash4j.nn.DeepEngine;
import org.deephash4j.nn.PretrainedBackbone;
import org.deephash4j.nn.TorchScriptBackbone;
import org.deephash4j.nn.Weights;

/**
 * A trained deep hash function: backbone, then the hash layer ({@link HashLayer}: linear, usually
 * followed by BatchNorm); the code is the sign of its output, BatchNorm using its running statistics. Inputs are rows
 * of pixel values in [0, 1] in CHW order (or plain feature vectors for the MLP backbone). Its weights
 * and architecture are saved with {@link org.deephash4j.hash.HashModels} like any other hash function,
 * and a loaded copy encodes bit-exactly like the original.
 */
public final class DeepHashFunction implements HashFunction, AutoCloseable {

    static final int ENCODE_BATCH = 256;

    private final String method;
    private final int bits;
    private final String backbone;
    private final ImageShape shape;
    private Map<String, Object> config;
    private final NDManager manager;
    private final Block network;
    private final AutoCloseable owner;
    /** Images to re-estimate the BatchNorm statistics on before the next encoding or save, or {@code null}. */

    /**
     * @param owner what owns the network's parameters (the training {@code Model}, or the manager); closed
     *     with this function and kept reachable until then
     */
    DeepHashFunction(String method, int bits, String backbone, ImageShape shape, Map<String, Object> config, NDManager manager,
            Block network, AutoCloseable owner) {
        this.method = method;
        this.bits = bits;
        this.backbone = backbone;
        this.shape = shape;
        this.config = Map.copyOf(config);
        this.manager = manager;
        this.network = network;
        this.owner = owner;
    }

    /**
     * The hash layer on top of the backbone; the code is the sign of its output. Its name is saved in
     * the model's configuration as {@code hash_layer}.
     */
    public enum HashLayer {
        /** Linear without bias, then BatchNorm with scale and shift (OrthoHash). */
        BN("bn"),
        /** Linear without bias, then BatchNorm without scale and shift: every bit centred over the batch (NSH's balance fix). */
        BN_NO_AFFINE("bn-no-affine"),
        /** Linear with bias only: nothing holds the bits balanced. */
        LINEAR("linear"),
        /** WCH's head: LayerNorm (eps 1e-6), linear to 1024, ReLU, linear with bias to the bits. */
        MLP_LN("mlp-ln"),
        /** WCH's head with the balance fix: LayerNorm, linear 1024, ReLU, linear without bias, BatchNorm without scale and shift. */
        MLP_LN_BN("mlp-ln-bn");

        private final String id;

        HashLayer(String id) {
            this.id = id;
        }

        /** The saved name. */
        public String id() {
            return id;
        }

        /** Whether a BatchNorm keeps the bits balanced. */
        public boolean balanced() {
            return this != LINEAR && this != MLP_LN;
        }

        /** Whether this is WCH's MLP head. */
        public boolean mlp() {
            return this == MLP_LN || this == MLP_LN_BN;
        }

        /** The same kind of head (single linear layer or MLP) with or without the balancing BatchNorm without affine parameters. */
        public HashLayer withBalance(boolean balance) {
            return of(mlp(), balance);
        }

        /** The MLP head or the single linear layer, keeping whether the bits are balanced. */
        public HashLayer withMlp(boolean mlpHead) {
            return of(mlpHead, balanced());
        }

        /** The unsupervised methods' heads: a single linear layer or the MLP, with or without the balancing BatchNorm. */
        private static HashLayer of(boolean mlp, boolean balance) {
            return mlp ? (balance ? MLP_LN_BN : MLP_LN) : (balance ? BN_NO_AFFINE : LINEAR);
        }

        /** The layer saved as {@code id}. */
        public static HashLayer parse(String id) {
            for (HashLayer h : values()) {
                if (h.id.equals(id)) {
                    return h;
                }
            }
            throw new IllegalArgumentException("unknown hash layer '" + id + "' (bn, bn-no-affine, linear, mlp-ln, mlp-ln-bn)");
        }
    }

    /** The network: backbone, linear hash layer, then the layer's normalisation (if any). */
    static SequentialBlock network(String backbone, int bits, HashLayer layer) {
        return network(Backbones.create(backbone), bits, layer);
    }

    /** The network on a given backbone block. */
    static SequentialBlock network(Block backbone, int bits, HashLayer layer) {
        SequentialBlock net = new SequentialBlock().add(backbone);
        return switch (layer) {
            case BN -> net.add(Linear.builder().setUnits(bits).optBias(false).build()).add(BatchNorm.builder().build());
            case BN_NO_AFFINE -> net.add(Linear.builder().setUnits(bits).optBias(false).build())
                    .add(BatchNorm.builder().optCenter(false).optScale(false).build());
            case LINEAR -> net.add(Linear.builder().setUnits(bits).build());
            case MLP_LN -> net.add(LayerNorm.builder().axis(1).optEpsilon(1e-6f).build()).add(Linear.builder().setUnits(1024).build())
                    .add(ai.djl.nn.Activation::relu).add(Linear.builder().setUnits(bits).build());
            case MLP_LN_BN -> net.add(LayerNorm.builder().axis(1).optEpsilon(1e-6f).build()).add(Linear.builder().setUnits(1024).build())
                    .add(ai.djl.nn.Activation::relu).add(Linear.builder().setUnits(bits).optBias(false).build())
                    .add(BatchNorm.builder().optCenter(false).optScale(false).build());
        };
    }

    static Shape inputShape(ImageShape s, int batch) {
        return new Shape(batch, s.channels(), s.height(), s.width());
    }

    Block block() {
        return network;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public int bits() {
        return bits;
    }

    @Override
    public int inputDimension() {
        return shape.pixels();
    }

    /** The continuous codes (the hash layer's output, BatchNorm with running statistics), row-major {@code rows x bits}. */
    public float[] continuousCodes(FeatureMatrix features) {
        checkInputSize(features);
        int n = features.rows();
        float[] out = new float[n * bits];
        float[] x = features.values();
        int d = shape.pixels();
        ParameterStore ps = new ParameterStore(manager, false);
        try {
            for (int start = 0; start < n; start += ENCODE_BATCH) {
                int count = Math.min(ENCODE_BATCH, n - start);
                try (NDManager sub = manager.newSubManager()) {
                    NDArray in = sub.create(FloatBuffer.wrap(x, start * d, count * d), inputShape(shape, count));
                    NDArray v = network.forward(ps, new NDList(in), false).singletonOrThrow();
                    System.arraycopy(v.toFloatArray(), 0, out, start * bits, count * bits);
                }
            }
        } finally {
            // the owner's finalizer (DJL) would free the weights: keep it alive until the forward passes end
            java.lang.ref.Reference.reachabilityFence(this);
            java.lang.ref.Reference.reachabilityFence(owner);
        }
        return out;
    }

    private void checkInputSize(FeatureMatrix features) {
        if (features.columns() != shape.pixels()) {
            throw new IllegalArgumentException(method + " takes inputs of " + shape.pixels() + " values (" + shape + "), got "
                    + features.columns());
        }
    }

    /** Images per forward pass of {@link #recalibrateBatchNorm}. */
    static final int RECALIBRATION_BATCH = 256;

    /**
     * Forward passes of {@link #recalibrateBatchNorm}: BatchNorm's running statistics are an exponential
     * average (weight 0.1 per batch), so 50 batches average over about the last 10-20 of them.
     */
    static final int RECALIBRATION_STEPS = 50;

    /**
     * Re-estimates the running statistics of every BatchNorm layer (backbone and hash layer) on
     * {@code images}, un-augmented, usually the training images. Training leaves statistics of the
     * augmented views, averaged over the last few batches; the images encoded later are not augmented,
     * and on short runs the mismatch unbalances the bits (docs/methods/nsh.md). Forward passes in training mode over
     * shuffled batches of {@value #RECALIBRATION_BATCH} (at least {@value #RECALIBRATION_STEPS} batches, at
     * least one pass), no gradients, nothing else changes (layers such as dropout run as in training); the
     * exponential average of the batches' statistics is corrected for its zero start, so it does not
     * depend on the statistics training left and a second call changes nothing. A TorchScript backbone
     * keeps its own statistics, which are updated the same way but not reset. Recorded in the
     * configuration as {@code bn_statistics}.
     *
     * @throws IllegalArgumentException if the images have the wrong size or are fewer than 2
     */
    public void recalibrateBatchNorm(FeatureMatrix images) {
        checkInputSize(images);
        int n = images.rows();
        if (n < 2) {
            throw new IllegalArgumentException("BatchNorm statistics need at least 2 images, got " + n);
        }
        int batch = Math.min(RECALIBRATION_BATCH, n);
        int perPass = n / batch;
        int steps = Math.max(RECALIBRATION_STEPS, perPass);
        int[] order = new int[n];
        org.deephash4j.util.SeededRandom random = new org.deephash4j.util.SeededRandom(RECALIBRATION_SEED);
        int d = shape.pixels();
        float[] x = images.values();
        float[] chunk = new float[batch * d];
        ParameterStore ps = new ParameterStore(manager, false);
        try {
            // every running statistic starts at 0 and is divided by 1 - m^steps at the end (as Adam corrects
            // its moments), so the result depends only on the images: not on training's statistics, not on a start value
            java.util.List<NDArray> running = new java.util.ArrayList<>();
            PretrainedBackbone pretrained = pretrainedIn(network);
            java.util.Set<String> keep = pretrained != null ? pretrained.frozenParameterIds() : java.util.Set.of();
            for (Pair<String, Parameter> p : network.getParameters()) {
                Parameter.Type type = p.getValue().getType();
                if ((type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) && !keep.contains(p.getValue().getId())) {
                    running.add(p.getValue().getArray().muli(0));
                }
            }
            for (int step = 0; step < steps; step++) {
                int inPass = step % perPass;
                if (inPass == 0) {
                    for (int i = 0; i < n; i++) {
                        order[i] = i;
                    }
                    random.partialShuffle(order, n);
                }
                for (int i = 0; i < batch; i++) {
                    System.arraycopy(x, order[inPass * batch + i] * d, chunk, i * d, d);
                }
                try (NDManager sub = manager.newSubManager()) {
                    NDArray in = sub.create(FloatBuffer.wrap(chunk), inputShape(shape, batch));
                    network.forward(ps, new NDList(in), true);
                }
            }
            float unbias = (float) (1 - Math.pow(BATCH_NORM_MOMENTUM, steps));
            for (NDArray r : running) {
                r.divi(unbias);
            }
        } finally {
            java.lang.ref.Reference.reachabilityFence(this);
            java.lang.ref.Reference.reachabilityFence(owner);
        }
        recordRecalibration(n);
    }

    /** Records in the configuration that the BatchNorm statistics were re-estimated on {@code images} images. */
    void recordRecalibration(int images) {
        Map<String, Object> c = new LinkedHashMap<>(config);
        c.put(BN_STATISTICS, "re-estimated on " + images + " un-augmented images");
        config = Map.copyOf(c);
    }

    /** Configuration key saying that the pretrained backbone is frozen: its weights are the published ones, not in the file. */
    static final String FROZEN_BACKBONE = "backbone_frozen";
    /** Configuration key naming the first trained block of a partly fine-tuned pretrained backbone (the layers below are the published ones). */
    static final String TRAINABLE_FROM = "backbone_trainable_from";

    /** Configuration key saying where the BatchNorm statistics come from. */
    public static final String BN_STATISTICS = "bn_statistics";

    /** DJL's BatchNorm momentum, which every network here keeps: running = m * running + (1 - m) * batch. */
    static final double BATCH_NORM_MOMENTUM = 0.9;

    private static final long RECALIBRATION_SEED = 0x5EEDBA7C4L;

    @Override
    public BinaryCodes encode(FeatureMatrix features, long[] ids) {
        return BinaryCodes.fromSigns(continuousCodes(features), bits, ids);
    }

    @Override
    public ModelContents contents() {
        Map<String, Object> c = new LinkedHashMap<>(config);
        c.put("backbone", backbone);
        c.put("input_shape", java.util.List.of(shape.channels(), shape.height(), shape.width()));
        Map<String, double[]> arrays = new LinkedHashMap<>();
        Map<String, byte[]> sections = new LinkedHashMap<>();
        TorchScriptBackbone module = torchScriptIn(network);
        if (module != null) {
            sections.put(TorchScriptBackbone.SECTION, module.moduleBytes());
        }
        java.util.Set<String> elsewhere = notSaved(network);
        PretrainedBackbone pretrained = pretrainedIn(network);
        if (pretrained != null) {
            c.put(FROZEN_BACKBONE, pretrained.frozen());
            String trainableFrom = pretrained.trainableFrom();
            if (trainableFrom != null) {
                c.put(TRAINABLE_FROM, trainableFrom);
            }
        }
        for (Pair<String, Parameter> p : network.getParameters()) {
            if (!elsewhere.contains(p.getValue().getId())) {
                arrays.put(p.getKey(), ModelContents.widen(p.getValue().getArray().toFloatArray()));
            }
        }
        return new ModelContents(method, bits, shape.pixels(), c, arrays, sections);
    }

    /**
     * The TorchScript backbone of {@code network}'s encoder, or {@code null}: its module keeps its own
     * weights and buffers, saved as one section rather than as arrays.
     */
    static TorchScriptBackbone torchScriptIn(Block network) {
        return backboneOf(network) instanceof TorchScriptBackbone ts ? ts : null;
    }

    /** The pretrained backbone of {@code network}'s encoder, or {@code null}. */
    static PretrainedBackbone pretrainedIn(Block network) {
        return backboneOf(network) instanceof PretrainedBackbone p ? p : null;
    }

    /** The backbone block of an encoding network (unwrapped from the method's encoding-time pooling). */
    private static Block backboneOf(Block network) {
        Block encoder = network.getChildren().get(0).getValue();
        return encoder instanceof org.deephash4j.nn.AttendedPooling a ? a.backbone() : encoder;
    }

    /**
     * The parameters a model file does not hold: a TorchScript module's (saved as one section) and a
     * pretrained backbone's frozen part (the published weights, loaded from the package).
     */
    private static java.util.Set<String> notSaved(Block network) {
        java.util.Set<String> ids = parameterIds(torchScriptIn(network));
        PretrainedBackbone p = pretrainedIn(network);
        if (p != null) {
            ids.addAll(p.frozenParameterIds());
        }
        return ids;
    }

    /** The ids of {@code block}'s parameters (none for {@code null}). */
    private static java.util.Set<String> parameterIds(Block block) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        if (block != null) {
            block.getParameters().forEach(p -> ids.add(p.getValue().getId()));
        }
        return ids;
    }

    /**
     * Rebuilds a function from saved contents; {@code encodingBackbone} wraps the plain backbone block as
     * the method encodes with it ({@link DeepMethod#encodingBackbone}).
     */
    static DeepHashFunction fromContents(ModelContents c, java.util.function.UnaryOperator<Block> encodingBackbone) {
        DeepEngine.get();
        String backbone = (String) c.config().get("backbone");
        @SuppressWarnings("unchecked")
        java.util.List<Number> dims = (java.util.List<Number>) c.config().get("input_shape");
        if (backbone == null || dims == null || dims.size() != 3) {
            throw new IllegalArgumentException(c.method() + " model lacks its architecture (backbone, input_shape)");
        }
        ImageShape shape = new ImageShape(dims.get(0).intValue(), dims.get(1).intValue(), dims.get(2).intValue());
        Object layerName = c.config().getOrDefault("hash_layer", HashLayer.BN.id());
        HashLayer layer = HashLayer.parse(String.valueOf(layerName));
        NDManager manager = NDManager.newBaseManager();
        boolean torchScript = TorchScriptBackbone.isTorchScript(backbone);
        Block backboneBlock = torchScript ? TorchScriptBackbone.fromBytes(c.section(TorchScriptBackbone.SECTION),
                c.method() + " model's backbone") : Backbones.create(backbone);
        SequentialBlock net = network(encodingBackbone.apply(backboneBlock), c.bits(), layer);
        if (backboneBlock instanceof PretrainedBackbone p) {
            if (c.config().get(TRAINABLE_FROM) instanceof String from) {
                p.setTrainableFrom(from);
            } else {
                p.setFrozen(Boolean.TRUE.equals(c.config().get(FROZEN_BACKBONE)));
            }
        }
        net.initialize(manager, DataType.FLOAT32, inputShape(shape, 1));
        java.util.Set<String> elsewhere = notSaved(net);
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (elsewhere.contains(p.getValue().getId())) {
                continue;
            }
            NDArray a = p.getValue().getArray();
            Weights.copyInto(a, c.floatArray(p.getKey(), (int) a.size()));
        }
        Map<String, Object> config = new LinkedHashMap<>(c.config());
        config.remove("backbone");
        config.remove("input_shape");
        config.remove(FROZEN_BACKBONE);
        return new DeepHashFunction(c.method(), c.bits(), backbone, shape, config, manager, net, manager);
    }

    @Override
    public void close() {
        try {
            owner.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + method + " failed", e);
        } finally {
            manager.close();
            TorchScriptBackbone module = torchScriptIn(network);
            if (module != null) {
                module.close();
            }
        }
    }
}
