package org.deephash4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaledAdamTest {

    @Test
    void twoUpdatesFollowAdamWithL2AndTheParameterScale() {
        DeepEngine.get();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1f, -2f});
            ScaledAdam adam = new ScaledAdam(0.1f, 0.01f, Map.of("p", 0.5f));
            float[][] grads = {{0.3f, -0.4f}, {0.1f, 0.2f}};
            double[] expected = {1, -2};
            double[] mm = new double[2];
            double[] vv = new double[2];
            for (int t = 1; t <= 2; t++) {
                adam.update("p", w, m.create(grads[t - 1]));
                for (int i = 0; i < 2; i++) {
                    double g = grads[t - 1][i] + 0.01 * expected[i];
                    mm[i] = 0.9 * mm[i] + 0.1 * g;
                    vv[i] = 0.999 * vv[i] + 0.001 * g * g;
                    double mh = mm[i] / (1 - Math.pow(0.9, t));
                    double vh = vv[i] / (1 - Math.pow(0.999, t));
                    expected[i] -= 0.1 * 0.5 * mh / (Math.sqrt(vh) + 1e-8);
                }
            }
            assertArrayEquals(new float[] {(float) expected[0], (float) expected[1]}, w.toFloatArray(), 1e-6f);
            assertEquals(2, adam.state("p").steps());
        }
    }
}
