package org.deephash4j.nn.loss;

import ai.djl.ndarray.NDArray;

/**
 * The quantisation loss of the unsupervised methods: {@code mean((b - sign(b))^2)} over a batch of
 * relaxed codes {@code b} in (-1, 1), the sign carrying no gradient, pulling every code towards a corner
 * of the hypercube. Over two views it is the sum of the two views' means, as in the
 * PyTorch reference run; SDC's mean over both views is
 * the same loss at half the weight. Also the straight-through sign the methods binarise with.
 */
public final class Quantisation {

    private Quantisation() {
    }

    /** The loss of the codes {@code b} (any shape). */
    public static NDArray loss(NDArray b) {
        return b.sub(b.sign().stopGradient()).square().mean();
    }

    /** The loss over two views' codes: the sum of the two views' losses. */
    public static NDArray loss(NDArray b1, NDArray b2) {
        return loss(b1).add(loss(b2));
    }

    /** The straight-through sign: {@code sign(u)} in the forward pass, the identity's gradient in the backward pass. */
    public static NDArray straightThroughSign(NDArray u) {
        return u.add(u.sign().sub(u).stopGradient());
    }
}
