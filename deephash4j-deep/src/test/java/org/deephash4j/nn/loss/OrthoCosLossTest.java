package org.deephash4j.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.deephash4j.nn.DeepEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OrthoCosLossTest {

    static final float[] CODEBOOK = {1, 1, -1, -1, 1, -1, 1, -1, -1, 1, 1, -1}; // 3 classes x 4 bits
    static final float[] V = {0.5f, 2f, -1f, 0.3f, -1f, 0.2f, 0.7f, -2f};         // 2 codes x 4 bits

    @BeforeAll
    static void engine() {
        DeepEngine.get();
    }

    /** The loss computed by hand in double precision. */
    static double expected(float[][] y, float s, float m, boolean arc) {
        double total = 0;
        for (int n = 0; n < 2; n++) {
            double[] z = new double[3];
            double vn = 0;
            for (int k = 0; k < 4; k++) {
                vn += V[n * 4 + k] * V[n * 4 + k];
            }
            vn = Math.sqrt(vn);
            for (int c = 0; c < 3; c++) {
                double dot = 0;
                for (int k = 0; k < 4; k++) {
                    dot += V[n * 4 + k] * CODEBOOK[c * 4 + k];
                }
                double cos = dot / (vn * 2);
                z[c] = arc ? s * Math.cos(Math.acos(Math.max(-0.99999, Math.min(0.99999, cos))) + m * y[n][c]) : s * (cos - m * y[n][c]);
            }
            double max = Math.max(z[0], Math.max(z[1], z[2]));
            double lse = max + Math.log(Math.exp(z[0] - max) + Math.exp(z[1] - max) + Math.exp(z[2] - max));
            double count = y[n][0] + y[n][1] + y[n][2];
            for (int c = 0; c < 3; c++) {
                if (count > 0) {
                    total -= y[n][c] / count * (z[c] - lse);
                }
            }
        }
        return total / 2;
    }

    private static double loss(OrthoCosLoss l, float[][] y) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray v = m.create(V).reshape(2, 4);
            NDArray labels = m.create(new float[] {y[0][0], y[0][1], y[0][2], y[1][0], y[1][1], y[1][2]}).reshape(2, 3);
            NDArray codebook = m.create(CODEBOOK).reshape(3, 4);
            return l.compute(v, labels, codebook).getFloat();
        }
    }

    @Test
    void singleLabelCosFaceMatchesHandComputation() {
        float[][] y = {{1, 0, 0}, {0, 0, 1}};
        assertEquals(expected(y, 8, 0.2f, false), loss(OrthoCosLoss.defaults(), y), 1e-5);
    }

    @Test
    void multiLabelSmoothingAndAnUnlabelledRowMatchHandComputation() {
        float[][] y = {{1, 1, 0}, {0, 0, 0}};
        assertEquals(expected(y, 6, 0.3f, false), loss(new OrthoCosLoss(6, 0.3f, false), y), 1e-5);
    }

    @Test
    void orthoArcMatchesHandComputation() {
        float[][] y = {{0, 1, 0}, {1, 0, 1}};
        assertEquals(expected(y, 8, 0.2f, true), loss(new OrthoCosLoss(8, 0.2f, true), y), 1e-4);
    }

    @Test
    void gradientReachesTheCodesAndPullsThemTowardsTheirTarget() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray v = m.create(V).reshape(2, 4);
            v.setRequiresGradient(true);
            NDArray labels = m.create(new float[] {1, 0, 0, 0, 0, 1}).reshape(2, 3);
            NDArray codebook = m.create(CODEBOOK).reshape(3, 4);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(OrthoCosLoss.defaults().compute(v, labels, codebook));
            }
            float[] g = v.getGradient().toFloatArray();
            double norm = 0;
            for (float x : g) {
                assertTrue(Float.isFinite(x));
                norm += x * x;
            }
            assertTrue(norm > 1e-6, "non-zero gradient");
            // a small step against the gradient raises the cosine to the target class
            NDArray stepped = v.sub(m.create(g).reshape(2, 4).mul(0.1f));
            NDArray before = OrthoCosLoss.cosines(v, codebook);
            NDArray after = OrthoCosLoss.cosines(stepped, codebook);
            assertTrue(after.getFloat(0, 0) > before.getFloat(0, 0));
            assertTrue(after.getFloat(1, 2) > before.getFloat(1, 2));
        }
    }

    @Test
    void sqrtScaleIsEightAt64Bits() {
        assertEquals(8f, OrthoCosLoss.sqrtScale(64), 0);
    }
}
