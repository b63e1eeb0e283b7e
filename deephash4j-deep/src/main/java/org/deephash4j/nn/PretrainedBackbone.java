package org.deephash4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.fetch.DataHome;
import org.deephash4j.data.fetch.PretrainedPackages;
import org.deephash4j.io.TfjsLayersModel;
import org.deephash4j.util.ProgressListener;

/**
 * An ImageNet-pretrained network published in a package registry, rebuilt in DJL with its weights
 * ({@link KerasNetwork}), cut at one layer: a backbone like the others. It takes images
 * {@code (N, 3, H, W)} with values in [0, 1] of any size, resizes them bilinearly to the network's
 * input size (half-pixel centres), and gives the cut layer's feature map average-pooled {@code (N, D)},
 * or, as {@link #tokens()}, its cells as patch tokens {@code (N, H'*W', D)}.
 *
 * <p>Frozen ({@link #setFrozen}, the default when a method trains on it), its BatchNorm layers keep the
 * published statistics and the maps are remembered by the content of each input image
 * ({@link FeatureMemo}, under {@code $DEEPHASH_HOME/features}): an image, or an augmented view of it
 * that training draws again, goes through the network once, and every later epoch, method and run
 * reads its features. Fine-tuned, it is an ordinary trainable block.
 *
 * <p>Names: {@code mobilenetv2} (the last feature map, 7 x 7 x 1280 at 224 pixels, pooled: 1280
 * features) and {@code mobilenetv2:block_N} for N in 1..16 (the output of inverted-residual block N;
 * {@code block_10}, the last block that is pure ImageNet in the published model, is 14 x 14 x 96).
 */
public final class PretrainedBackbone extends AbstractBlock {

    /** A registered network: its package, the layer a name cuts it at, and its input size. */
    private record Cut(String network, String layer, int inputSize) {
    }

    private static final String MOBILENET = "mobilenetv2";
    private static final Map<Path, TfjsLayersModel> MODELS = new ConcurrentHashMap<>();

    private final String name;
    private final KerasNetwork network;
    private final Map<String, TfjsLayersModel.Tensor> weights;
    private final int inputSize;
    private final boolean tokens;
    /** What the pooled backbone and its token view share besides the network. */
    private final Shared shared;
    /** One image's map at each layer {@link #mapShape} was asked for. */
    private final Map<String, Shape> mapShapes = new ConcurrentHashMap<>();

    /**
     * The frozen and folded states and the memo of the frozen part's maps, shared by the backbone and its
     * token view. The frozen part runs from the input to layer {@code frozenUpTo} (the cut layer: all of
     * it; {@code null}: none); its maps are remembered in a folder named after that layer.
     */
    private static final class Shared {
        final Path featuresRoot;
        final String network;
        String frozenUpTo;
        String foldedUpTo;
        FeatureMemo memo;

        Shared(Path featuresRoot, String network) {
            this.featuresRoot = featuresRoot;
            this.network = network;
        }
    }

    private PretrainedBackbone(String name, KerasNetwork network, Map<String, TfjsLayersModel.Tensor> weights, int inputSize,
            boolean tokens, Shared shared) {
        super((byte) 1);
        this.name = name;
        this.network = addChildBlock("network", network);
        this.weights = weights;
        this.inputSize = inputSize;
        this.tokens = tokens;
        this.shared = shared;
    }

    /** The names of the pretrained backbones, as users give them. */
    public static List<String> names() {
        return List.of(MOBILENET, MOBILENET + ":block_10");
    }

    /**
     * The backbone a method that learns from patch tokens uses when asked for {@code name}: for the whole
     * {@code mobilenetv2}, its 14 x 14 grid of {@code block_10}, the last stage that is pure ImageNet
     * (the 7 x 7 grid of the top layer comes from the part fine-tuned on another task); any other name as given.
     */
    public static String tokenStage(String name) {
        return name.equalsIgnoreCase(MOBILENET) ? MOBILENET + ":block_10" : name;
    }

    /**
     * The pooled features of {@code images} (rows of pixels in [0, 1] of {@code shape}) through the frozen
     * backbone {@code name}, remembered in the feature cache: the features the classic methods take.
     */
    public static FeatureMatrix features(String name, FeatureMatrix images, ImageShape shape, ProgressListener progress) {
        PretrainedBackbone b = create(name);
        b.setFrozen(true);
        int n = images.rows();
        int d = shape.pixels();
        if (images.columns() != d) {
            throw new IllegalArgumentException("images of " + shape + " have " + d + " values, got rows of " + images.columns());
        }
        int batch = EXTRACTION_BATCH;
        try (NDManager m = NDManager.newBaseManager()) {
            b.initialize(m, DataType.FLOAT32, new Shape(1, shape.channels(), shape.height(), shape.width()));
            int dim = (int) b.getOutputShapes(new Shape[] {new Shape(1, shape.channels(), shape.height(), shape.width())})[0].get(1);
            float[] out = new float[n * dim];
            ParameterStore ps = new ParameterStore(m, false);
            progress.start("features of " + n + " images through " + name + " (cached after the first time)", n);
            for (int start = 0; start < n; start += batch) {
                int count = Math.min(batch, n - start);
                try (NDManager step = m.newSubManager()) {
                    NDArray x = step.create(java.nio.FloatBuffer.wrap(images.values(), start * d, count * d),
                            new Shape(count, shape.channels(), shape.height(), shape.width()));
                    System.arraycopy(b.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray(), 0, out, start * dim, count * dim);
                }
                progress.advance(count);
            }
            progress.finish();
            b.flushMemo();
            return new FeatureMatrix(n, dim, out);
        }
    }

    /** Whether {@code name} names a pretrained backbone. */
    public static boolean isPretrained(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals(MOBILENET) || n.startsWith(MOBILENET + ":");
    }

    private static Cut cut(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals(MOBILENET)) {
            return new Cut(MOBILENET, "out_relu", 224);
        }
        String stage = n.substring(MOBILENET.length() + 1);
        int block = blockNumber(stage);
        if (block > 0) {
            // a block whose input and output match ends in a residual sum, the others in their projection
            boolean residual = List.of(2, 4, 5, 7, 8, 9, 11, 12, 14, 15).contains(block);
            return new Cut(MOBILENET, stage + (residual ? "_add" : "_project_BN"), 224);
        }
        throw new IllegalArgumentException("unknown backbone '" + name + "': " + MOBILENET + " takes block_1 .. block_16, as in "
                + MOBILENET + ":block_10");
    }

    /**
     * The backbone {@code name}, with the published weights; the package is fetched into
     * {@code $DEEPHASH_HOME/models} first if it is not there.
     */
    public static PretrainedBackbone create(String name) {
        Cut cut = cut(name);
        DataHome home = DataHome.resolve();
        TfjsLayersModel model;
        try {
            Path dir = PretrainedPackages.ensure(cut.network(), home, ProgressListener.NONE);
            model = MODELS.computeIfAbsent(dir, d -> {
                try {
                    return TfjsLayersModel.read(d);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("cannot load the pretrained network " + cut.network() + ": " + e.getMessage(), e);
        }
        KerasNetwork network = KerasNetwork.build(model, cut.layer());
        return new PretrainedBackbone(name.toLowerCase(Locale.ROOT), network, model.weights(), cut.inputSize(), false,
                new Shared(home.features(), cut.network()));
    }

    /** The same network (sharing its parameters, frozen state and memo) giving patch tokens {@code (N, P, D)}. */
    public PretrainedBackbone tokens() {
        return new PretrainedBackbone(name, network, weights, inputSize, true, shared);
    }

    /** Whether the whole network is frozen: published BatchNorm statistics, no gradients, features remembered. */
    public boolean frozen() {
        return network.outputLayer().equals(shared.frozenUpTo);
    }

    /** Freezes the whole network (or lets all of it train). */
    public void setFrozen(boolean freeze) {
        freezeUpTo(freeze ? network.outputLayer() : null);
    }

    /**
     * Lets the blocks from {@code block} (e.g. {@code block_9}) up to the cut train and freezes the layers
     * below them, whose maps are then computed once per image and remembered like a frozen network's:
     * fine-tuning the top of the network costs only the top's passes.
     *
     * @throws IllegalArgumentException if {@code block} is not a block of this network above its first, or
     *     not below or at the cut
     */
    public void setTrainableFrom(String block) {
        freezeUpTo(layerBelow(block));
    }

    /** The first trainable block when only the top of the network trains, else {@code null}. */
    public String trainableFrom() {
        String upTo = shared.frozenUpTo;
        if (upTo == null || frozen()) {
            return null;
        }
        return "block_" + (blockOf(upTo) + 1);
    }

    /** The ids of the parameters that do not train: all, some (the part below the trainable blocks) or none. */
    public java.util.Set<String> frozenParameterIds() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        String upTo = shared.frozenUpTo;
        if (upTo != null) {
            network.blocksUpTo(upTo).forEach(b -> b.getParameters().forEach(p -> ids.add(p.getValue().getId())));
        }
        return ids;
    }

    /** The layer the part below block {@code block} ends at: block N-1's output. */
    private String layerBelow(String block) {
        int n = blockNumber(block.toLowerCase(Locale.ROOT));
        int cutBlock = Math.min(blockOf(network.outputLayer()), 16);
        if (n < 2 || n > cutBlock) {
            throw new IllegalArgumentException("the first trainable block of " + name + " must be block_2 .. block_" + cutBlock
                    + " (the blocks up to its cut), got '" + block + "'; to train the whole network give only the learning-rate scale");
        }
        String below = cut(MOBILENET + ":block_" + (n - 1)).layer();
        network.checkSplit(below);
        return below;
    }

    /** N for a stage named {@code block_N} with N in 1..16 (MobileNetV2's inverted-residual blocks), else 0. */
    private static int blockNumber(String stage) {
        return stage.matches("block_([1-9]|1[0-6])") ? Integer.parseInt(stage.substring(6)) : 0;
    }

    /** The block number of a block's output layer; the layers above block 16 ({@code out_relu}) count as 17. */
    private static int blockOf(String layer) {
        return layer.startsWith("block_") ? Integer.parseInt(layer.substring(6, layer.indexOf('_', 6))) : 17;
    }

    /** Freezes the layers up to {@code layer} ({@code null}: none) and lets the rest train. */
    private void freezeUpTo(String layer) {
        synchronized (shared) {
            if (java.util.Objects.equals(layer, shared.frozenUpTo)) {
                applyFreeze();
                return;
            }
            shared.frozenUpTo = layer;
            if (shared.memo != null) {
                shared.memo.flush();
                shared.memo = null;
            }
            if (shared.foldedUpTo != null) {
                network.unfold();
                shared.foldedUpTo = null;
            }
            applyFreeze();
        }
    }

    /** Sets which weights take gradients (the frozen part's do not); BatchNorm's running statistics never do. */
    private void applyFreeze() {
        java.util.function.Predicate<ai.djl.nn.Parameter> weights = p -> p.getType() != ai.djl.nn.Parameter.Type.RUNNING_MEAN
                && p.getType() != ai.djl.nn.Parameter.Type.RUNNING_VAR;
        network.freezeParameters(false, weights);
        if (shared.frozenUpTo != null) {
            network.blocksUpTo(shared.frozenUpTo).forEach(b -> b.freezeParameters(true, weights));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        String upTo = shared.frozenUpTo;
        NDArray map;
        if (upTo == null) {
            map = network.forward(store, new NDList(resize(x)), training).singletonOrThrow();
        } else {
            map = remembered(store, x, upTo);
            if (!frozen()) {
                map = network.forwardBetween(store, map, upTo, network.outputLayer(), training);
            }
        }
        return new NDList(tokens ? Tokens.fromMap(new NDList(map)).singletonOrThrow() : Tokens.poolMap(map));
    }

    /** Layer {@code layer}'s map of one image (the network takes RGB), (1, C, H, W); computed once per layer. */
    private Shape mapShape(String layer) {
        return mapShapes.computeIfAbsent(layer, l -> network.shapeAt(new Shape(1, 3, inputSize, inputSize), l));
    }

    /** The frozen part's maps (up to {@code upTo}) of {@code x}'s images, from the memo or computed (in inference mode) and remembered. */
    private NDArray remembered(ParameterStore store, NDArray x, String upTo) {
        Shape in = x.getShape();
        int n = (int) in.get(0);
        int d = (int) (in.size() / n);
        Shape mapShape = mapShape(upTo);
        int m = (int) mapShape.size();
        FeatureMemo cache = memo(m);
        float[] pixels = x.toFloatArray();
        float[][] rows = new float[n][];
        FeatureMemo.Key[] keys = new FeatureMemo.Key[n];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys[i] = FeatureMemo.key(pixels, i * d, d);
            rows[i] = cache.get(keys[i]);
            if (rows[i] == null) {
                missing.add(i);
            }
        }
        NDManager manager = x.getManager();
        for (int from = 0; from < missing.size(); from += EXTRACTION_BATCH) {
            List<Integer> part = missing.subList(from, Math.min(missing.size(), from + EXTRACTION_BATCH));
            float[] batch = new float[part.size() * d];
            for (int j = 0; j < part.size(); j++) {
                System.arraycopy(pixels, part.get(j) * d, batch, j * d, d);
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray b = scope.create(batch, new Shape(part.size(), in.get(1), in.get(2), in.get(3)));
                float[] maps = frozenMaps(store, b, upTo).toFloatArray();
                for (int j = 0; j < part.size(); j++) {
                    int i = part.get(j);
                    rows[i] = java.util.Arrays.copyOfRange(maps, j * m, (j + 1) * m);
                    cache.put(keys[i], rows[i]);
                }
            }
        }
        float[] out = new float[n * m];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, out, i * m, m);
        }
        return manager.create(out, new Shape(n, mapShape.get(1), mapShape.get(2), mapShape.get(3)));
    }

    /**
     * The cut layer's maps of {@code images} computed by the frozen network (BatchNorm folded into the
     * convolutions), without the memo: what a frozen pass computes for an image it has not seen.
     */
    public NDArray computeMaps(ParameterStore store, NDArray images) {
        if (!frozen()) {
            throw new IllegalStateException(name + " is not frozen");
        }
        return frozenMaps(store, images, network.outputLayer());
    }

    /** Layer {@code upTo}'s maps of {@code images} through the frozen part (BatchNorm folded), without the memo. */
    private NDArray frozenMaps(ParameterStore store, NDArray images, String upTo) {
        foldOnce(upTo);
        return network.forwardBetween(store, resize(images), null, upTo, false);
    }

    /**
     * Images per forward pass when features are computed: batches of 224-pixel images make tensors of
     * hundreds of megabytes, whose allocation costs more than the arithmetic on 2 cores; 8 was the fastest
     * (docs/pretrained.md).
     */
    static final int EXTRACTION_BATCH = 8;

    /** Folds the frozen part's BatchNorm layers into its convolutions the first time a pass needs them (its weights do not change). */
    private void foldOnce(String upTo) {
        synchronized (shared) {
            if (!upTo.equals(shared.foldedUpTo)) {
                network.foldBatchNorm(upTo);
                shared.foldedUpTo = upTo;
            }
        }
    }

    private FeatureMemo memo(int dimension) {
        synchronized (shared) {
            if (shared.memo == null) {
                shared.memo = FeatureMemo.in(shared.featuresRoot.resolve(shared.network + "-" + shared.frozenUpTo + "-" + inputSize), dimension);
            }
            return shared.memo;
        }
    }

    /** Writes the remembered features not yet on disk. */
    public void flushMemo() {
        synchronized (shared) {
            if (shared.memo != null) {
                shared.memo.flush();
            }
        }
    }

    /** {@code x} resized to the input size, bilinearly with half-pixel centres, as two matrix products. */
    private NDArray resize(NDArray x) {
        Shape s = x.getShape();
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        if (h == inputSize && w == inputSize) {
            return x;
        }
        NDManager manager = x.getManager();
        NDArray rows = manager.create(interpolation(h, inputSize), new Shape(inputSize, h));
        NDArray columns = manager.create(interpolation(w, inputSize), new Shape(inputSize, w)).transpose();
        return rows.matMul(x.matMul(columns));
    }

    /** The {@code (out, in)} matrix of linear interpolation from {@code in} samples to {@code out}, half-pixel centres, edges clamped. */
    static float[] interpolation(int in, int out) {
        float[] r = new float[out * in];
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double src = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), in - 1);
            int i0 = (int) Math.floor(src);
            int i1 = Math.min(i0 + 1, in - 1);
            double f = src - i0;
            r[i * in + i0] += (float) (1 - f);
            r[i * in + i1] += (float) f;
        }
        return r;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        network.initialize(manager, dataType, new Shape(s.get(0), s.get(1), inputSize, inputSize));
        network.loadWeights(weights);
        synchronized (shared) {
            network.unfold();
            shared.foldedUpTo = null;
            applyFreeze();
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        Shape map = network.getOutputShapes(new Shape[] {new Shape(s.get(0), s.get(1), inputSize, inputSize)})[0];
        return new Shape[] {tokens ? new Shape(map.get(0), map.get(2) * map.get(3), map.get(1)) : new Shape(map.get(0), map.get(1))};
    }
}
