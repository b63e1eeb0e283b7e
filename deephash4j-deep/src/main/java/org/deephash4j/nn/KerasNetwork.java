package org.deephash4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deephash4j.io.TfjsLayersModel;

/**
 * A Keras functional network (as a TensorFlow.js layers model describes it) rebuilt from DJL blocks, up
 * to one of its layers, with the published weights loaded. It takes {@code (N, C, H, W)} inputs (Keras
 * works in NHWC: kernels are transposed on loading, and {@code Flatten} flattens in Keras's HWC order)
 * and supports the layers of MobileNet-style networks: {@code ZeroPadding2D}, {@code Conv2D} and
 * {@code DepthwiseConv2D} ({@code valid}, or {@code same} as TensorFlow pads it: the extra row and column
 * go at the bottom and right), {@code BatchNormalization} (Keras's epsilon), {@code ReLU} (with
 * {@code max_value}: ReLU6), {@code Activation}, {@code Add}, {@code AveragePooling2D},
 * {@code GlobalAveragePooling2D}, {@code Flatten}, {@code Dense} and {@code Dropout}. Any other layer is
 * refused by name when the network is built.
 */
public final class KerasNetwork extends AbstractBlock {

    /** One layer: its Keras name and class, its DJL block (or none for parameter-free layers), its inputs and settings. */
    private record Layer(String name, String kind, Block block, List<String> inputs, JsonNode config) {
    }

    private final List<Layer> layers = new ArrayList<>();
    private final String output;
    /** For inference: each convolution followed by a BatchNorm, as one convolution with the BatchNorm folded in (weight, bias). */
    private Map<String, NDArray[]> folded;
    /** The BatchNorm layers folded into their convolution. */
    private final Set<String> foldedNorms = new HashSet<>();

    private KerasNetwork(String output) {
        super((byte) 1);
        this.output = output;
    }

    /**
     * The network of {@code model} from its input up to layer {@code output} (its output is this
     * block's), without weights; {@link #loadWeights} fills them after initialisation.
     *
     * @throws IllegalArgumentException naming the layer if {@code output} is not a layer of the model or a
     *     layer it needs is of an unsupported kind
     */
    public static KerasNetwork build(TfjsLayersModel model, String output) {
        JsonNode all = model.topology().path("model_config").path("config").path("layers");
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode l : all) {
            byName.put(l.path("name").asText(), l);
        }
        if (!byName.containsKey(output)) {
            throw new IllegalArgumentException("the model has no layer '" + output + "'");
        }
        Set<String> needed = new HashSet<>();
        List<String> stack = new ArrayList<>(List.of(output));
        while (!stack.isEmpty()) {
            String name = stack.remove(stack.size() - 1);
            if (needed.add(name)) {
                stack.addAll(inputsOf(byName.get(name)));
            }
        }
        KerasNetwork net = new KerasNetwork(output);
        // channels of every layer's output, known from the configuration (depthwise convolutions need their input's)
        Map<String, Integer> channels = new HashMap<>();
        for (JsonNode l : all) {
            String name = l.path("name").asText();
            if (needed.contains(name)) {
                List<String> inputs = inputsOf(l);
                JsonNode c = l.path("config");
                int in = inputs.isEmpty() ? c.path("batch_input_shape").path(3).asInt(3) : channels.get(inputs.get(0));
                net.add(name, l.path("class_name").asText(), inputs, c, in);
                channels.put(name, switch (l.path("class_name").asText()) {
                    case "Conv2D" -> c.path("filters").asInt();
                    case "DepthwiseConv2D" -> in * c.path("depth_multiplier").asInt(1);
                    case "Dense" -> c.path("units").asInt();
                    default -> in;
                });
            }
        }
        return net;
    }

    private static List<String> inputsOf(JsonNode layer) {
        List<String> in = new ArrayList<>();
        for (JsonNode node : layer.path("inbound_nodes").path(0)) {
            in.add(node.path(0).asText());
        }
        return in;
    }

    private void add(String name, String kind, List<String> inputs, JsonNode c, int inChannels) {
        Block block = switch (kind) {
            case "InputLayer", "ZeroPadding2D", "ReLU", "Activation", "Add", "AveragePooling2D", "GlobalAveragePooling2D", "Flatten",
                    "Dropout" -> null;
            case "Conv2D" -> Conv2d.builder().setKernelShape(pair(c, "kernel_size")).setFilters(c.path("filters").asInt())
                    .optStride(pair(c, "strides")).optPadding(symmetricPadding(c)).optBias(c.path("use_bias").asBoolean()).build();
            case "DepthwiseConv2D" -> Conv2d.builder().setKernelShape(pair(c, "kernel_size"))
                    .setFilters(inChannels * c.path("depth_multiplier").asInt(1)).optGroups(inChannels).optStride(pair(c, "strides"))
                    .optPadding(symmetricPadding(c)).optBias(c.path("use_bias").asBoolean()).build();
            // DJL's default momentum (0.9), not the configuration's: re-estimating the statistics after training
            // (DeepHashFunction.recalibrateBatchNorm) corrects every running average for that momentum
            case "BatchNormalization" -> BatchNorm.builder().optEpsilon((float) c.path("epsilon").asDouble(1e-3)).build();
            case "Dense" -> Linear.builder().setUnits(c.path("units").asInt()).optBias(c.path("use_bias").asBoolean()).build();
            default -> throw new IllegalArgumentException("layer " + name + ": Keras layer " + kind + " is not supported");
        };
        if (!c.path("dilation_rate").isMissingNode() && (c.path("dilation_rate").path(0).asInt(1) != 1
                || c.path("dilation_rate").path(1).asInt(1) != 1)) {
            throw new IllegalArgumentException("layer " + name + ": dilated convolutions are not supported");
        }
        if (c.has("data_format") && !"channels_last".equals(c.path("data_format").asText())) {
            throw new IllegalArgumentException("layer " + name + ": data_format " + c.path("data_format").asText() + " is not supported");
        }
        if (block != null) {
            addChildBlock(name, block);
        }
        layers.add(new Layer(name, kind, block, inputs, c));
    }

    private static Shape pair(JsonNode c, String key) {
        return new Shape(c.path(key).path(0).asLong(1), c.path(key).path(1).asLong(1));
    }

    /**
     * The convolution's own (symmetric) padding: none for {@code valid}; for {@code same} with stride 1 and
     * an odd kernel, (k - 1) / 2 on each side. Other {@code same} cases pad asymmetrically in {@link #samePadding}.
     */
    private static Shape symmetricPadding(JsonNode c) {
        if (!"same".equals(c.path("padding").asText()) || asymmetric(c)) {
            return new Shape(0, 0);
        }
        return new Shape((c.path("kernel_size").path(0).asLong() - 1) / 2, (c.path("kernel_size").path(1).asLong() - 1) / 2);
    }

    private static boolean asymmetric(JsonNode c) {
        return c.path("strides").path(0).asInt(1) != 1 || c.path("strides").path(1).asInt(1) != 1
                || c.path("kernel_size").path(0).asInt() % 2 == 0 || c.path("kernel_size").path(1).asInt() % 2 == 0;
    }

    /** TensorFlow's {@code same} padding of one axis as (before, after): the odd pixel goes after. */
    private static long[] samePadding(long in, long kernel, long stride) {
        long out = (in + stride - 1) / stride;
        long total = Math.max((out - 1) * stride + kernel - in, 0);
        return new long[] {total / 2, total - total / 2};
    }

    /**
     * Folds every BatchNorm that directly follows a convolution (its only consumer) into that convolution,
     * for inference: {@code w' = w * g}, {@code b' = beta + (b - mean) * g} with
     * {@code g = gamma / sqrt(var + eps)}. Inference forward passes then run one convolution instead of a
     * convolution and a normalisation (a third fewer full-size tensors); training passes are unchanged.
     * The folded weights are a snapshot: call again after the weights change, or {@link #unfold}.
     */
    public void foldBatchNorm() {
        foldBatchNorm(output);
    }

    /** As {@link #foldBatchNorm()}, only for the layers up to and including {@code layer} (the part that stays frozen). */
    public void foldBatchNorm(String layer) {
        int last = indexOf(layer);
        Map<String, Integer> consumers = new HashMap<>();
        for (Layer l : layers) {
            l.inputs().forEach(in -> consumers.merge(in, 1, Integer::sum));
        }
        Map<String, Layer> byName = new HashMap<>();
        layers.forEach(l -> byName.put(l.name(), l));
        Map<String, NDArray[]> f = new HashMap<>();
        foldedNorms.clear();
        for (Layer bn : layers.subList(0, last + 1)) {
            if (!bn.kind().equals("BatchNormalization") || bn.inputs().size() != 1) {
                continue;
            }
            Layer conv = byName.get(bn.inputs().get(0));
            if (conv == null || !(conv.kind().equals("Conv2D") || conv.kind().equals("DepthwiseConv2D")) || consumers.get(conv.name()) != 1
                    || !"linear".equals(conv.config().path("activation").asText("linear"))) {
                continue;
            }
            PairList<String, Parameter> cp = conv.block().getParameters();
            PairList<String, Parameter> bp = bn.block().getParameters();
            NDArray w = cp.get("weight").getArray();
            float eps = (float) bn.config().path("epsilon").asDouble(1e-3);
            NDArray g = bp.get("gamma").getArray().div(bp.get("runningVar").getArray().add(eps).sqrt());
            NDArray bias = cp.contains("bias") ? cp.get("bias").getArray() : w.getManager().zeros(g.getShape());
            NDArray foldedWeight = w.mul(g.reshape(-1, 1, 1, 1));
            NDArray foldedBias = bp.get("beta").getArray().add(bias.sub(bp.get("runningMean").getArray()).mul(g));
            f.put(conv.name(), new NDArray[] {foldedWeight.stopGradient(), foldedBias.stopGradient()});
            foldedNorms.add(bn.name());
        }
        folded = f;
    }

    /** Drops the folded weights: every pass runs the layers as published. */
    public void unfold() {
        folded = null;
        foldedNorms.clear();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forwardBetween(store, inputs.head(), null, output, training));
    }

    /**
     * The output of layer {@code to} given {@code x}, the output of layer {@code from} ({@code null}: the
     * network's input): runs only the layers after {@code from}, so a network split at {@code from} (see
     * {@link #checkSplit}) runs as two parts.
     */
    public NDArray forwardBetween(ParameterStore store, NDArray x, String from, String to, boolean training) {
        Map<String, NDArray> values = new HashMap<>();
        int start = from == null ? 0 : indexOf(from) + 1;
        int end = indexOf(to);
        if (from != null) {
            values.put(from, x);
        }
        for (Layer l : layers.subList(start, end + 1)) {
            NDArray in = l.inputs().isEmpty() ? x : values.get(l.inputs().get(0));
            values.put(l.name(), apply(store, l, in, values, training));
        }
        return values.get(to);
    }

    /**
     * Checks that the network can be split after layer {@code from}: no layer after it reads the output
     * of a layer before it (true of the block outputs of MobileNet-style networks, whose residual sums
     * stay within a block).
     *
     * @throws IllegalArgumentException naming the layer that reaches across
     */
    public void checkSplit(String from) {
        int split = indexOf(from);
        for (Layer l : layers.subList(split + 1, layers.size())) {
            for (String in : l.inputs()) {
                if (indexOf(in) < split) {
                    throw new IllegalArgumentException("the network cannot be split after " + from + ": layer " + l.name()
                            + " reads " + in + " from before it");
                }
            }
        }
    }

    private int indexOf(String layer) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).name().equals(layer)) {
                return i;
            }
        }
        throw new IllegalArgumentException("the network has no layer '" + layer + "' (it ends at " + output + ")");
    }

    /** The layer this network ends at (its output). */
    public String outputLayer() {
        return output;
    }

    /** The output shape of layer {@code layer} for input shape {@code input}. */
    public Shape shapeAt(Shape input, String layer) {
        indexOf(layer);
        return shapes(input, null, null).get(layer);
    }

    /** The blocks (with parameters) of the layers from the input up to and including {@code layer}. */
    public List<Block> blocksUpTo(String layer) {
        List<Block> blocks = new ArrayList<>();
        for (Layer l : layers.subList(0, indexOf(layer) + 1)) {
            if (l.block() != null) {
                blocks.add(l.block());
            }
        }
        return blocks;
    }

    private NDArray apply(ParameterStore store, Layer l, NDArray x, Map<String, NDArray> values, boolean training) {
        JsonNode c = l.config();
        if (!training && folded != null) {
            NDArray[] wb = folded.get(l.name());
            if (wb != null) {
                return Conv2d.conv2d(padSame(c, x), wb[0], wb[1], pair(c, "strides"), symmetricPadding(c), new Shape(1, 1),
                        l.kind().equals("DepthwiseConv2D") ? (int) x.getShape().get(1) : 1).singletonOrThrow();
            }
            if (foldedNorms.contains(l.name())) {
                return x;
            }
        }
        return switch (l.kind()) {
            case "InputLayer" -> x;
            case "ZeroPadding2D" -> x.pad(new Shape(c.path("padding").path(1).path(0).asLong(), c.path("padding").path(1).path(1).asLong(),
                    c.path("padding").path(0).path(0).asLong(), c.path("padding").path(0).path(1).asLong()), 0);
            case "Conv2D", "DepthwiseConv2D" -> activation(c.path("activation").asText("linear"),
                    l.block().forward(store, new NDList(padSame(c, x)), training).singletonOrThrow());
            case "BatchNormalization" -> l.block().forward(store, new NDList(x), training).singletonOrThrow();
            case "ReLU" -> c.path("max_value").isNumber() ? x.clip(0, c.path("max_value").asDouble()) : x.clip(0, Float.MAX_VALUE);
            case "Activation" -> activation(c.path("activation").asText(), x);
            case "Add" -> {
                NDArray sum = x;
                for (String in : l.inputs().subList(1, l.inputs().size())) {
                    sum = sum.add(values.get(in));
                }
                yield sum;
            }
            case "AveragePooling2D" -> Pool.avgPool2d(padSame(c, x), pair(c, "pool_size"), pair(c, "strides"), new Shape(0, 0), false, false);
            case "GlobalAveragePooling2D" -> Tokens.poolMap(x);
            case "Flatten" -> x.getShape().dimension() == 4 ? x.transpose(0, 2, 3, 1).reshape(x.getShape().get(0), -1) : x;
            case "Dense" -> activation(c.path("activation").asText("linear"), l.block().forward(store, new NDList(x), training)
                    .singletonOrThrow());
            case "Dropout" -> training ? ai.djl.nn.norm.Dropout.dropout(x, (float) c.path("rate").asDouble(), true).singletonOrThrow() : x;
            default -> throw new IllegalStateException(l.kind());
        };
    }

    /** {@code x} padded as TensorFlow's {@code same} pads it when the padding is asymmetric (stride 2, even kernels). */
    private static NDArray padSame(JsonNode c, NDArray x) {
        long[] p = asymmetricPadding(c, x.getShape());
        return p == null ? x : x.pad(new Shape(p[2], p[3], p[0], p[1]), 0);
    }

    /**
     * The explicit {@code same} padding of layer {@code c} on input {@code x} as (top, bottom, left, right),
     * or {@code null} when there is none to add (not {@code same}, or symmetric: the convolution pads itself).
     */
    private static long[] asymmetricPadding(JsonNode c, Shape x) {
        if (x.dimension() != 4 || !"same".equals(c.path("padding").asText()) || !asymmetric(c)) {
            return null;
        }
        Shape k = c.has("kernel_size") ? pair(c, "kernel_size") : pair(c, "pool_size");
        Shape s = pair(c, "strides");
        long[] h = samePadding(x.get(2), k.get(0), s.get(0));
        long[] w = samePadding(x.get(3), k.get(1), s.get(1));
        return new long[] {h[0], h[1], w[0], w[1]};
    }

    private static NDArray activation(String name, NDArray x) {
        return switch (name) {
            case "linear" -> x;
            case "relu" -> ai.djl.nn.Activation.relu(x);
            case "relu6" -> x.clip(0, 6);
            case "sigmoid" -> ai.djl.nn.Activation.sigmoid(x);
            case "tanh" -> x.tanh();
            case "softmax" -> x.softmax(-1);
            default -> throw new IllegalArgumentException("Keras activation " + name + " is not supported");
        };
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        shapes(inputShapes[0], manager, dataType);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {shapes(inputShapes[0], null, null).get(output)};
    }

    /** Every layer's output shape for input {@code input}; with a manager, also makes and initialises the child blocks. */
    private Map<String, Shape> shapes(Shape input, NDManager manager, DataType type) {
        Map<String, Shape> out = new HashMap<>();
        for (Layer l : layers) {
            Shape x = l.inputs().isEmpty() ? input : out.get(l.inputs().get(0));
            JsonNode c = l.config();
            Shape y = switch (l.kind()) {
                case "ZeroPadding2D" -> new Shape(x.get(0), x.get(1), x.get(2) + c.path("padding").path(0).path(0).asLong()
                        + c.path("padding").path(0).path(1).asLong(), x.get(3) + c.path("padding").path(1).path(0).asLong()
                        + c.path("padding").path(1).path(1).asLong());
                case "Conv2D", "DepthwiseConv2D", "BatchNormalization", "Dense" -> {
                    Shape in = padded(c, x);
                    if (manager != null) {
                        l.block().initialize(manager, type, in);
                    }
                    yield l.block().getOutputShapes(new Shape[] {in})[0];
                }
                case "AveragePooling2D" -> {
                    Shape in = padded(c, x);
                    Shape k = pair(c, "pool_size");
                    Shape s = pair(c, "strides");
                    yield new Shape(in.get(0), in.get(1), (in.get(2) - k.get(0)) / s.get(0) + 1, (in.get(3) - k.get(1)) / s.get(1) + 1);
                }
                case "GlobalAveragePooling2D" -> new Shape(x.get(0), x.get(1));
                case "Flatten" -> new Shape(x.get(0), x.size() / x.get(0));
                default -> x;
            };
            out.put(l.name(), y);
        }
        return out;
    }

    private static Shape padded(JsonNode c, Shape x) {
        long[] p = asymmetricPadding(c, x);
        return p == null ? x : new Shape(x.get(0), x.get(1), x.get(2) + p[0] + p[1], x.get(3) + p[2] + p[3]);
    }

    /**
     * Copies the published weights into the initialised network: Keras kernels {@code (kh, kw, in, out)}
     * become {@code (out, in, kh, kw)}, depthwise kernels {@code (kh, kw, in, m)} become
     * {@code (in * m, 1, kh, kw)}, dense kernels {@code (in, out)} become {@code (out, in)}.
     *
     * @throws IllegalArgumentException naming the weight if one is missing or has the wrong size
     */
    public void loadWeights(Map<String, TfjsLayersModel.Tensor> weights) {
        for (Layer l : layers) {
            if (l.block() == null) {
                continue;
            }
            PairList<String, Parameter> params = l.block().getParameters();
            switch (l.kind()) {
                case "Conv2D" -> {
                    copy(params.get("weight"), convKernel(tensor(weights, l, "kernel")));
                    copyBias(weights, l, params);
                }
                case "DepthwiseConv2D" -> {
                    copy(params.get("weight"), depthwiseKernel(tensor(weights, l, "depthwise_kernel")));
                    copyBias(weights, l, params);
                }
                case "BatchNormalization" -> {
                    copy(params.get("gamma"), tensor(weights, l, "gamma").values());
                    copy(params.get("beta"), tensor(weights, l, "beta").values());
                    copy(params.get("runningMean"), tensor(weights, l, "moving_mean").values());
                    copy(params.get("runningVar"), tensor(weights, l, "moving_variance").values());
                }
                case "Dense" -> {
                    TfjsLayersModel.Tensor k = tensor(weights, l, "kernel");
                    copy(params.get("weight"), transpose2d(k.values(), k.shape()[0], k.shape()[1]));
                    copyBias(weights, l, params);
                }
                default -> throw new IllegalStateException(l.kind());
            }
        }
    }

    private static void copyBias(Map<String, TfjsLayersModel.Tensor> weights, Layer l, PairList<String, Parameter> params) {
        if (l.config().path("use_bias").asBoolean()) {
            copy(params.get("bias"), tensor(weights, l, "bias").values());
        }
    }

    private static TfjsLayersModel.Tensor tensor(Map<String, TfjsLayersModel.Tensor> weights, Layer l, String suffix) {
        TfjsLayersModel.Tensor t = weights.get(l.name() + "/" + suffix);
        if (t == null) {
            throw new IllegalArgumentException("the model's weights lack " + l.name() + "/" + suffix);
        }
        return t;
    }

    private static void copy(Parameter p, float[] values) {
        NDArray target = p.getArray();
        if (target.size() != values.length) {
            throw new IllegalArgumentException("weight " + p.getName() + " of " + target.getShape() + " cannot take " + values.length
                    + " values");
        }
        Weights.copyInto(target, values);
    }

    /** {@code (kh, kw, in, out)} to {@code (out, in, kh, kw)}. */
    static float[] convKernel(TfjsLayersModel.Tensor k) {
        int kh = k.shape()[0];
        int kw = k.shape()[1];
        int in = k.shape()[2];
        int out = k.shape()[3];
        float[] v = k.values();
        float[] r = new float[v.length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        r[((o * in + i) * kh + y) * kw + x] = v[((y * kw + x) * in + i) * out + o];
                    }
                }
            }
        }
        return r;
    }

    /** {@code (kh, kw, in, m)} to {@code (in * m, 1, kh, kw)}: output channel {@code i * m + j}, as Keras orders them. */
    static float[] depthwiseKernel(TfjsLayersModel.Tensor k) {
        int kh = k.shape()[0];
        int kw = k.shape()[1];
        int in = k.shape()[2];
        int m = k.shape()[3];
        float[] v = k.values();
        float[] r = new float[v.length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < in; i++) {
                    for (int j = 0; j < m; j++) {
                        r[((i * m + j) * kh + y) * kw + x] = v[((y * kw + x) * in + i) * m + j];
                    }
                }
            }
        }
        return r;
    }

    private static float[] transpose2d(float[] v, int rows, int cols) {
        float[] r = new float[v.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                r[j * rows + i] = v[i * cols + j];
            }
        }
        return r;
    }
}
