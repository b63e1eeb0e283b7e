package org.deephash4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/** A learned position embedding added to a sequence of tokens {@code (N, P, d)}; initialised N(0, 0.02²) as ViT's. */
public final class PositionEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Parameter embedding;

    public PositionEmbedding() {
        super(VERSION);
        embedding = addParameter(Parameter.builder().setName("position").setType(Parameter.Type.OTHER)
                .optInitializer(new NormalInitializer(0.02f)).build());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        embedding.setShape(new Shape(1, s.get(1), s.get(2)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(x.add(store.getValue(embedding, x.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
