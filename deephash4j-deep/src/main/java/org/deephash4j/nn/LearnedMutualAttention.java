package org.deephash4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * WCH's mutual attention with learned projections: each view's tokens are re-expressed by attending from the other view's
 * positions, {@code A1 = softmax(Q(X2) K(X1)ᵀ / √d) V(X1)}, then added to the view's own tokens and
 * normalised, {@code X1~ = LayerNorm(X1 + A1)} (and symmetrically for view 2, with the same
 * projections). The residual keeps each view's own content in its representation. Inputs: the two
 * views' tokens {@code (N, P, d)}; outputs: both attended token arrays.
 */
public final class LearnedMutualAttention extends AbstractBlock {

    private final Block query;
    private final Block key;
    private final Block value;
    private final Block norm;

    /** Projections to {@code dim} dimensions (the tokens' own). */
    public LearnedMutualAttention(int dim) {
        super((byte) 1);
        query = addChildBlock("query", Linear.builder().setUnits(dim).optBias(false).build());
        key = addChildBlock("key", Linear.builder().setUnits(dim).optBias(false).build());
        value = addChildBlock("value", Linear.builder().setUnits(dim).optBias(false).build());
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x1 = inputs.get(0);
        NDArray x2 = inputs.get(1);
        return new NDList(attend(store, x1, x2, training), attend(store, x2, x1, training));
    }

    /** {@code own}'s tokens re-expressed from {@code other}'s positions, plus {@code own}, normalised. */
    private NDArray attend(ParameterStore store, NDArray own, NDArray other, boolean training) {
        NDArray q = project(query, store, other, training);
        NDArray k = project(key, store, own, training);
        NDArray v = project(value, store, own, training);
        double scale = Math.sqrt(own.getShape().get(2));
        NDArray attended = q.matMul(k.transpose(0, 2, 1)).div(scale).softmax(2).matMul(v);
        return norm.forward(store, new NDList(own.add(attended)), training).singletonOrThrow();
    }

    private static NDArray project(Block linear, ParameterStore store, NDArray x, boolean training) {
        return linear.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block b : new Block[] {query, key, value, norm}) {
            b.initialize(manager, dataType, inputShapes[0]);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0], inputShapes[1]};
    }
}
