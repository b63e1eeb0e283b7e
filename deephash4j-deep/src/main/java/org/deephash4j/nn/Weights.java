package org.deephash4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/** Writing saved values into a network's parameter arrays. */
public final class Weights {

    private Weights() {
    }

    /**
     * Copies {@code values} into {@code target} in place. Unlike {@code NDArray.set(Buffer)}, which gives
     * the tensor a new identity, the copy keeps the parameter's tensor and its gradient attachment, so
     * training continues exactly (a resumed run would otherwise read stale gradients). An indexed
     * assignment of the whole array, not {@code copyTo}: that one goes through a deprecated libtorch
     * guard which prints a warning on every process that loads a model.
     */
    public static void copyInto(NDArray target, float[] values) {
        if (values.length != target.size()) {
            throw new IllegalArgumentException("parameter of shape " + target.getShape() + " cannot take " + values.length + " values");
        }
        try (NDManager tmp = target.getManager().newSubManager()) {
            target.set(new NDIndex("..."), tmp.create(values).reshape(target.getShape()));
        }
    }
}
