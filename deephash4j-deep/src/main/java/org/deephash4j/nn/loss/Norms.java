package org.deephash4j.nn.loss;

import ai.djl.ndarray.NDArray;

/** Row normalisation shared by the losses. */
public final class Norms {

    private static final float EPSILON = 1e-12f;

    private Norms() {
    }

    /** Each row of {@code x} (shape {@code (..., d)}) divided by its L2 norm (at least 1e-12, as PyTorch's {@code normalize}). */
    public static NDArray unitRows(NDArray x) {
        int last = x.getShape().dimension() - 1;
        return x.div(x.norm(new int[] {last}, true).maximum(EPSILON));
    }
}
