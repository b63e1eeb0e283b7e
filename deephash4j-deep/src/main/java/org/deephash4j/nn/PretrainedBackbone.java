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
    /** Shared with the token view, so freezing one freezes both. */
    private final boolean[] frozen;
    /** The memo of the maps, opened on first use; shared with the token view. */
    private final FeatureMemo[] memo;
    private final Path memoFolder;

    private PretrainedBackbone(String name, KerasNetwork network, Map<String, TfjsLayersModel.Tensor> weights, int inputSize,
            boolean tokens, boolean[] frozen, FeatureMemo[] memo, Path memoFolder) {
        super((byte) 1);
        this.name = name;
        this.network = addChildBlock("network", network);
        this.weights = weights;
        this.inputSize = inputSize;
        this.tokens = tokens;
        this.frozen = frozen;
        this.memo = memo;
        this.memoFolder = memoFolder;
    }

    /** The names of the pretrained backbones, as users give them. */
    public static List<String> names() {
        return List.of(MOBILENET, MOBILENET + ":block_10");
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
        if (stage.matches("block_([1-9]|1[0-6])")) {
            int block = Integer.parseInt(stage.substring(6));
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
        Path memoFolder = home.root().resolve("features").resolve(cut.network() + "-" + cut.layer() + "-" + cut.inputSize());
        return new PretrainedBackbone(name.toLowerCase(Locale.ROOT), network, model.weights(), cut.inputSize(), false,
                new boolean[1], new FeatureMemo[1], memoFolder);
    }

    /** The same network (sharing its parameters, frozen state and memo) giving patch tokens {@code (N, P, D)}. */
    public PretrainedBackbone tokens() {
        return new PretrainedBackbone(name, network, weights, inputSize, true, frozen, memo, memoFolder);
    }

    /** The backbone's name. */
    public String name() {
        return name;
    }

    /** Whether the network is frozen: published BatchNorm statistics, no gradients, features remembered. */
    public boolean frozen() {
        return frozen[0];
    }

    /** Freezes the network (or lets it train). */
    public void setFrozen(boolean freeze) {
        frozen[0] = freeze;
        freeze(freeze);
    }

    /** Sets whether the network's weights take gradients; BatchNorm's running statistics never do. */
    private void freeze(boolean freeze) {
        network.freezeParameters(freeze, p -> p.getType() != ai.djl.nn.Parameter.Type.RUNNING_MEAN
                && p.getType() != ai.djl.nn.Parameter.Type.RUNNING_VAR);
    }

    /** The network's input side in pixels (images are resized to it). */
    public int inputSize() {
        return inputSize;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray map = frozen[0] ? remembered(store, x) : network.forward(store, new NDList(resize(x)), training).singletonOrThrow();
        Shape s = map.getShape();
        return new NDList(tokens ? Tokens.fromMap(new NDList(map)).singletonOrThrow() : map.reshape(s.get(0), s.get(1), -1).mean(new int[] {2}));
    }

    /** The maps of {@code x}'s images, from the memo or computed (in inference mode) and remembered. */
    private NDArray remembered(ParameterStore store, NDArray x) {
        Shape in = x.getShape();
        int n = (int) in.get(0);
        int d = (int) (in.size() / n);
        Shape mapShape = network.getOutputShapes(new Shape[] {new Shape(1, in.get(1), inputSize, inputSize)})[0];
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
        if (!missing.isEmpty()) {
            float[] batch = new float[missing.size() * d];
            for (int j = 0; j < missing.size(); j++) {
                System.arraycopy(pixels, missing.get(j) * d, batch, j * d, d);
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray b = scope.create(batch, new Shape(missing.size(), in.get(1), in.get(2), in.get(3)));
                float[] maps = network.forward(store, new NDList(resize(b)), false).singletonOrThrow().toFloatArray();
                for (int j = 0; j < missing.size(); j++) {
                    int i = missing.get(j);
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

    private FeatureMemo memo(int dimension) {
        synchronized (memo) {
            if (memo[0] == null) {
                memo[0] = FeatureMemo.in(memoFolder, dimension);
            }
            return memo[0];
        }
    }

    /** Writes the remembered features not yet on disk. */
    public void flushMemo() {
        synchronized (memo) {
            if (memo[0] != null) {
                memo[0].flush();
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
        if (frozen[0]) {
            freeze(true);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        Shape map = network.getOutputShapes(new Shape[] {new Shape(s.get(0), s.get(1), inputSize, inputSize)})[0];
        return new Shape[] {tokens ? new Shape(map.get(0), map.get(2) * map.get(3), map.get(1)) : new Shape(map.get(0), map.get(1))};
    }
}
