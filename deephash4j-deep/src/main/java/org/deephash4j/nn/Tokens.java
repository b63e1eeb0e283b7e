package org.deephash4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/** Conversions between feature maps and patch tokens, shared by the built-in and TorchScript backbones. */
final class Tokens {

    private Tokens() {
    }

    /** A feature map {@code (N, d, H, W)} as tokens {@code (N, H*W, d)}. */
    static NDList fromMap(NDList in) {
        NDArray x = in.singletonOrThrow();
        Shape s = x.getShape();
        return new NDList(x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).transpose(0, 2, 1));
    }

    /**
     * A feature map {@code (N, d, H, W)} average-pooled to {@code (N, d)}. PyTorch's engine in DJL averages
     * over one axis per call, so the grid is flattened first.
     */
    static NDArray poolMap(NDArray map) {
        Shape s = map.getShape();
        return map.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
    }

    /** Tokens {@code (N, T, d)} pooled to their mean {@code (N, d)}. */
    static NDList mean(NDList in) {
        return new NDList(in.singletonOrThrow().mean(new int[] {1}));
    }
}
