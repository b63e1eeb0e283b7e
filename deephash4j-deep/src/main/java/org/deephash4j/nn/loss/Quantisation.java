package org.deephash4j.nn.loss;

import ai.djl.ndarray.NDArray;

/**
 * The quantisation loss of the unsupervised methods: {@code mean((b - sign(b))^2)} over a batch of
 * relaxed codes {@code b} in (-1, 1), the sign carrying no gradient (methods.md §2.4), pulling every
 * code towards a corner of the hypercube.
 */
public final class Quantisation {

    private Quantisation() {
    }

    /** The loss of the codes {@code b} (any shape). */
    public static NDArray loss(NDArray b) {
        return b.sub(b.sign().stopGradient()).square().mean();
    }
}
