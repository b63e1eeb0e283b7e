package org.deephash4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Writing saved values into a network's parameter arrays. */
public final class Weights {

    private Weights() {
    }

    /**
     * Copies {@code values} into {@code target} in place. Unlike {@code NDArray.set}, which gives the
     * tensor a new identity, the copy keeps the parameter's tensor and its gradient attachment, so
     * training continues exactly (a resumed run would otherwise read stale gradients).
     */
    public static void copyInto(NDArray target, float[] values) {
        if (values.length != target.size()) {
            throw new IllegalArgumentException("parameter of shape " + target.getShape() + " cannot take " + values.length + " values");
        }
        try (NDManager tmp = target.getManager().newSubManager()) {
            tmp.create(values).reshape(target.getShape()).copyTo(target);
        }
    }
}
