package org.deephash4j.nn;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A backbone given by the user as a TorchScript module (e.g. a torchvision network exported with
 * {@code torch.jit.script} or {@code torch.jit.trace}), fine-tuned like any other backbone. The module
 * receives the images as {@code (N, C, H, W)} pixels in [0, 1] (any resizing or normalisation it needs
 * belongs inside it) and returns either pooled features {@code (N, D)} or a feature map
 * {@code (N, D, H', W')}; a map is average-pooled, or, for methods that need patch tokens, read as
 * {@code (N, H'*W', D)} tokens. Spec: {@code torchscript:PATH}. A trained model keeps the fine-tuned
 * module (weights and buffers such as BatchNorm statistics) in its {@link #SECTION} section.
 */
public final class TorchScriptBackbone extends AbstractBlock implements AutoCloseable {

    /** Prefix of a TorchScript backbone's name. */
    public static final String PREFIX = "torchscript:";
    /** The model-file section holding the module. */
    public static final String SECTION = "backbone.torchscript";

    private PtSymbolBlock module;
    private final boolean tokens;
    /** The manager holding the module's native memory, or {@code null} for a view that shares another's module. */
    private NDManager owner;
    /** The token views sharing this backbone's module: a replaced module is replaced in them too. */
    private final List<TorchScriptBackbone> views = new ArrayList<>();

    private TorchScriptBackbone(PtSymbolBlock module, boolean tokens, NDManager owner) {
        super((byte) 1);
        this.module = addChildBlock("module", module);
        this.tokens = tokens;
        this.owner = owner;
    }

    /** Whether {@code backbone} names a TorchScript file. */
    public static boolean isTorchScript(String backbone) {
        return backbone.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** The backbone named {@code torchscript:PATH}, read from the file. */
    public static TorchScriptBackbone fromSpec(String backbone) {
        Path file = Path.of(backbone.substring(PREFIX.length()));
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the TorchScript backbone " + file + ": " + e.getMessage(), e);
        }
        return fromBytes(bytes, file.toString());
    }

    /** The backbone whose module is serialised in {@code bytes} (a TorchScript {@code .pt} file's content). */
    public static TorchScriptBackbone fromBytes(byte[] bytes, String origin) {
        Loaded loaded = load(bytes, origin);
        return new TorchScriptBackbone(loaded.module(), false, loaded.owner());
    }

    /** A loaded module and the manager that owns its native memory. */
    private record Loaded(PtSymbolBlock module, NDManager owner) {
    }

    private static Loaded load(byte[] bytes, String origin) {
        DeepEngine.get();
        NDManager manager = NDManager.newBaseManager();
        try {
            return new Loaded(JniUtils.loadModule((PtNDManager) manager, new ByteArrayInputStream(bytes), true, false), manager);
        } catch (IOException | EngineException | IllegalArgumentException e) {
            manager.close();
            throw new IllegalArgumentException(origin + " is not a TorchScript module PyTorch can load: " + e.getMessage(), e);
        }
    }

    /** The same module (sharing its parameters) giving patch tokens {@code (N, P, D)} instead of pooled features. */
    public TorchScriptBackbone tokens() {
        TorchScriptBackbone view = new TorchScriptBackbone(module, true, null);
        views.add(view);
        return view;
    }

    /**
     * Replaces the module, in this backbone and its token views, by the one serialised in {@code bytes}
     * (as {@link #moduleBytes()} wrote it): a resumed run gets its buffers, such as BatchNorm statistics,
     * which are not parameters. Call it before the module's parameters are handed to a trainer: they
     * are new parameters.
     *
     * @throws IllegalStateException on a token view (replace the module of the backbone it came from)
     */
    public void replaceModule(byte[] bytes, String origin) {
        if (owner == null) {
            throw new IllegalStateException("a token view shares its backbone's module: replace that one");
        }
        Loaded replacement = load(bytes, origin);
        NDManager previous = owner;
        owner = replacement.owner();
        setModule(replacement.module());
        views.forEach(v -> v.setModule(replacement.module()));
        previous.close();
    }

    private void setModule(PtSymbolBlock replacement) {
        children.remove(0);
        module = addChildBlock("module", replacement);
    }

    /** Frees the module's native memory (a token view frees nothing: the backbone it came from owns the module). */
    @Override
    public void close() {
        if (owner != null) {
            owner.close();
        }
    }

    /** The module as it is now (fine-tuned weights and buffers), serialised as a TorchScript file. */
    public byte[] moduleBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JniUtils.writeModule(module, out, false);
        return out.toByteArray();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray y = module.forward(store, inputs, training).singletonOrThrow();
        return new NDList(adapt(y));
    }

    private NDArray adapt(NDArray y) {
        Shape s = y.getShape();
        if (s.dimension() == 4) {
            return tokens ? Tokens.fromMap(new NDList(y)).singletonOrThrow() : Tokens.poolMap(y);
        }
        if (s.dimension() == 2 && !tokens) {
            return y;
        }
        throw new IllegalArgumentException("the TorchScript backbone returns " + s + "; expected (N, D) features"
                + (tokens ? "" : " or ") + "(N, D, H, W) feature maps" + (tokens ? " for patch tokens" : ""));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        module.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = module.getOutputShapes(inputShapes)[0];
        if (s.dimension() == 4) {
            return new Shape[] {tokens ? new Shape(s.get(0), s.get(2) * s.get(3), s.get(1)) : new Shape(s.get(0), s.get(1))};
        }
        if (s.dimension() == 2 && !tokens) {
            return new Shape[] {s};
        }
        throw new IllegalArgumentException("the TorchScript backbone returns " + s + "; expected (N, D) features or (N, D, H, W) maps");
    }
}
