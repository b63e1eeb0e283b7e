package org.deephash4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A backbone whose patch tokens attend to the image's own tokens ({@link MutualAttention} of the
 * image with itself) before they are averaged: WCH's encoding-time pooling option, which gives a
 * single image the kind of attended tokens its training views had (the official code pools the raw
 * tokens at encoding time, a train/test mismatch). The wrapped backbone keeps its parameters.
 */
public final class AttendedPooling extends AbstractBlock {

    private final Block backbone;
    private final Block tokens;
    private final float temperature;

    /**
     * @param name the backbone's name (for {@link Backbones#tokens})
     * @param backbone the pooled backbone made by {@link Backbones#create}
     * @param temperature the attention temperature
     */
    public AttendedPooling(String name, Block backbone, float temperature) {
        super((byte) 1);
        this.backbone = addChildBlock("backbone", backbone);
        this.tokens = Backbones.tokens(name, backbone);
        this.temperature = temperature;
    }

    /** The wrapped backbone. */
    public Block backbone() {
        return backbone;
    }

    /** The backbone's patch tokens (sharing its parameters). */
    public Block tokens() {
        return tokens;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray t = tokens.forward(store, inputs, training).singletonOrThrow();
        return new NDList(MutualAttention.apply(t, t, temperature).get(1).mean(new int[] {1}));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return backbone.getOutputShapes(inputShapes);
    }
}
