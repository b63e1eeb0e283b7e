package org.deephash4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.deephash4j.nn.loss.Norms;

/**
 * WCH's parameter-free mutual attention between the patch tokens of two views of the same images
 *: with {@code A = norm(X1) norm(X2)ᵀ} the cosine of every view-1 patch i with every
 * view-2 patch j, each view is re-expressed in the other view's layout,
 * {@code X1~[j] = Σ_i softmax_i(A[i, j] / T) X1[i]} and {@code X2~[i] = Σ_j softmax_j(A[i, j] / T) X2[j]}.
 */
public final class MutualAttention {

    private MutualAttention() {
    }

    /**
     * The attended tokens of both views.
     *
     * @param x1 view-1 tokens, {@code (N, P, d)}
     * @param x2 view-2 tokens, {@code (N, P, d)}
     * @param temperature T (1 in the official code)
     * @return {@code [X1~, X2~]}, each {@code (N, P, d)}
     */
    public static NDList apply(NDArray x1, NDArray x2, float temperature) {
        if (!x1.getShape().equals(x2.getShape()) || x1.getShape().dimension() != 3) {
            throw new IllegalArgumentException("mutual attention needs two (N, P, d) token arrays of one shape, got " + x1.getShape()
                    + " and " + x2.getShape());
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("attention temperature must be > 0, got " + temperature);
        }
        NDArray a = Norms.unitRows(x1).matMul(Norms.unitRows(x2).transpose(0, 2, 1)).div(temperature); // (N, P_i, P_j)
        NDArray overI = a.softmax(1);
        NDArray overJ = a.softmax(2);
        return new NDList(overI.transpose(0, 2, 1).matMul(x1), overJ.matMul(x2));
    }
}
