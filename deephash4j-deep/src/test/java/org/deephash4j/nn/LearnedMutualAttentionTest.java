package org.deephash4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

/** The learned mutual attention: the residual form, and the attention term computed as specified. */
class LearnedMutualAttentionTest {

    @Test
    void isTheNormalisedSumOfOwnTokensAndTheAttendedOtherView() {
        DeepEngine.get();
        try (NDManager m = NDManager.newBaseManager()) {
            DeepEngine.seed(1);
            NDArray x1 = m.randomNormal(new Shape(2, 5, 4));
            NDArray x2 = m.randomNormal(new Shape(2, 5, 4));
            LearnedMutualAttention a = new LearnedMutualAttention(4);
            a.initialize(m, DataType.FLOAT32, x1.getShape(), x2.getShape());
            NDList out = a.forward(new ParameterStore(m, false), new NDList(x1, x2), false);
            assertEquals(x1.getShape(), out.get(0).getShape());
            NDArray wq = weight(a, "query");
            NDArray wk = weight(a, "key");
            NDArray wv = weight(a, "value");
            // by hand: q from view 2, k and v from view 1, scaled dot product, residual, LayerNorm (no affine change at init)
            NDArray q = x2.matMul(wq.transpose());
            NDArray k = x1.matMul(wk.transpose());
            NDArray v = x1.matMul(wv.transpose());
            NDArray s = x1.add(q.matMul(k.transpose(0, 2, 1)).div(2.0).softmax(2).matMul(v));
            NDArray mean = s.mean(new int[] {2}, true);
            NDArray var = s.sub(mean).square().mean(new int[] {2}, true);
            NDArray expected = s.sub(mean).div(var.add(1e-5).sqrt());
            assertArrayEquals(expected.toFloatArray(), out.get(0).toFloatArray(), 1e-4f);
            assertFalse(java.util.Arrays.equals(out.get(0).toFloatArray(), out.get(1).toFloatArray()));
        }
    }

    private static NDArray weight(LearnedMutualAttention a, String child) {
        for (Pair<String, Parameter> p : a.getParameters()) {
            if (p.getKey().contains(child) && p.getKey().endsWith("weight")) {
                return p.getValue().getArray();
            }
        }
        throw new AssertionError("no weight of " + child + " in " + a.getParameters().keys());
    }
}
