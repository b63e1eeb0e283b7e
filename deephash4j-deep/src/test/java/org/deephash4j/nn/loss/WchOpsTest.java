package org.deephash4j.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.deephash4j.nn.DeepEngine;
import org.deephash4j.nn.MutualAttention;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WCH's pieces against hand computation: mutual attention, weighted similarity (blocked = direct, diagonal 1), the loss. */
class WchOpsTest {

    @BeforeAll
    static void engine() {
        DeepEngine.get();
    }

    static double cos(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void mutualAttentionMatchesHandComputation() {
        double[][] x1 = {{1, 0}, {0.5, 2}, {-1, 1}};
        double[][] x2 = {{0.2, 1}, {1, -0.5}, {2, 2}};
        double t = 0.5;
        int p = 3;
        double[][] a = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                a[i][j] = cos(x1[i], x2[j]) / t;
            }
        }
        double[][] e1 = new double[p][2];
        double[][] e2 = new double[p][2];
        for (int j = 0; j < p; j++) {
            double z = 0;
            for (int i = 0; i < p; i++) {
                z += Math.exp(a[i][j]);
            }
            for (int i = 0; i < p; i++) {
                for (int d = 0; d < 2; d++) {
                    e1[j][d] += Math.exp(a[i][j]) / z * x1[i][d];
                }
            }
        }
        for (int i = 0; i < p; i++) {
            double z = 0;
            for (int j = 0; j < p; j++) {
                z += Math.exp(a[i][j]);
            }
            for (int j = 0; j < p; j++) {
                for (int d = 0; d < 2; d++) {
                    e2[i][d] += Math.exp(a[i][j]) / z * x2[j][d];
                }
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDList out = MutualAttention.apply(tokens(m, x1), tokens(m, x2), (float) t);
            assertArrayEquals(flat(e1), out.get(0).toFloatArray(), 1e-5f);
            assertArrayEquals(flat(e2), out.get(1).toFloatArray(), 1e-5f);
        }
    }

    static NDArray tokens(NDManager m, double[][] x) {
        return m.create(flat(x), new Shape(1, x.length, x[0].length));
    }

    static float[] flat(double[][] x) {
        float[] f = new float[x.length * x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                f[i * x[0].length + j] = (float) x[i][j];
            }
        }
        return f;
    }

    @Test
    void weightedSimilarityMatchesHandComputationWithUnitDiagonal() {
        // 2 images x 2 patches x 2 dims per view
        double[][][] v1 = {{{1, 0}, {0, 1}}, {{1, 1}, {-1, 0.5}}};
        double[][][] v2 = {{{0.9, 0.1}, {0.2, 1}}, {{0.5, 0.5}, {-1, 0}}};
        double[][] sim = new double[2][2];
        for (int n = 0; n < 2; n++) {
            for (int q = 0; q < 2; q++) {
                double sum = 0;
                for (int i = 0; i < 2; i++) {
                    double best = -2;
                    for (int j = 0; j < 2; j++) {
                        best = Math.max(best, cos(v1[n][i], v2[q][j]));
                    }
                    sum += best;
                }
                sim[n][q] = sum / 2;
            }
        }
        double[][] w = new double[2][2];
        for (int n = 0; n < 2; n++) {
            for (int q = 0; q < 2; q++) {
                w[n][q] = Math.exp((sim[n][q] - sim[n][n]) / 0.2);
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t1 = m.create(new float[] {1, 0, 0, 1, 1, 1, -1, 0.5f}, new Shape(2, 2, 2));
            NDArray t2 = m.create(new float[] {0.9f, 0.1f, 0.2f, 1, 0.5f, 0.5f, -1, 0}, new Shape(2, 2, 2));
            float[] got = WeightedSimilarity.defaults().weights(t1, t2).toFloatArray();
            assertArrayEquals(flat(w), got, 1e-5f);
            assertEquals(1f, got[0], 1e-6f);
            assertEquals(1f, got[3], 1e-6f);
        }
    }

    @Test
    void blockedComputationEqualsTheDirectOneIncludingGradients() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(5);
            NDArray t1 = m.randomNormal(new Shape(7, 5, 4));
            NDArray t2 = m.randomNormal(new Shape(7, 5, 4));
            float[] direct = null;
            float[] directGrad = null;
            for (int block : new int[] {7, 1, 3}) {
                NDArray x = t1.duplicate(); // a fresh leaf: gradients accumulate on a reused one
                x.setRequiresGradient(true);
                float[] value;
                float[] grad;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray w = new WeightedSimilarity(0.2f, false, false, block).weights(x, t2);
                    value = w.toFloatArray();
                    gc.backward(w.mul(m.arange(49f).reshape(7, 7)).sum());
                    grad = x.getGradient().toFloatArray();
                }
                if (direct == null) {
                    direct = value;
                    directGrad = grad;
                } else {
                    assertArrayEquals(direct, value, 1e-5f, "block " + block);
                    assertArrayEquals(directGrad, grad, 1e-4f, "block " + block);
                }
            }
            for (int i = 0; i < 7; i++) {
                assertEquals(1f, direct[i * 7 + i], 1e-6f, "the positive pair weighs 1");
            }
        }
    }

    @Test
    void bestMatchShortcutHasTheGradientOfTheMax() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(8);
            NDArray t1 = m.randomNormal(new Shape(5, 6, 3));
            NDArray t2 = m.randomNormal(new Shape(5, 6, 3));
            NDArray weights = m.randomNormal(new Shape(5, 5));
            float[][] grads = new float[2][];
            float[][] gradsB = new float[2][];
            for (int way = 0; way < 2; way++) {
                NDArray a = t1.duplicate();
                NDArray b = t2.duplicate();
                a.setRequiresGradient(true);
                b.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray sim;
                    if (way == 0) {
                        sim = new WeightedSimilarity(0.2f, false, false, 2).patchSimilarity(a, b);
                    } else {
                        // the definition: every patch pair's cosine, max over j, mean over i
                        NDArray u1 = Norms.unitRows(a).reshape(30, 3);
                        NDArray u2 = Norms.unitRows(b).reshape(30, 3);
                        sim = u1.matMul(u2.transpose()).reshape(5, 6, 5, 6).max(new int[] {3}).mean(new int[] {1});
                    }
                    gc.backward(sim.mul(weights).sum());
                    grads[way] = a.getGradient().toFloatArray();
                    gradsB[way] = b.getGradient().toFloatArray();
                }
            }
            assertArrayEquals(grads[1], grads[0], 1e-5f, "gradient with respect to view 1");
            assertArrayEquals(gradsB[1], gradsB[0], 1e-5f, "gradient with respect to view 2");
        }
    }

    @Test
    void stopGradientAndRowNormalisationOptions() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t1 = m.randomNormal(new Shape(4, 3, 2));
            NDArray t2 = m.randomNormal(new Shape(4, 3, 2));
            t1.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray w = new WeightedSimilarity(0.2f, true, false, 2).weights(t1, t2);
                NDArray y = w.sum().add(t1.sum().mul(0));
                gc.backward(y);
                assertEquals(0f, t1.getGradient().abs().sum().getFloat(), 0f, "stop-gradient: no gradient through the weights");
            }
            float[] normalised = new WeightedSimilarity(0.2f, false, true, 2).weights(t1.stopGradient(), t2).sum(new int[] {1})
                    .toFloatArray();
            assertArrayEquals(new float[] {1, 1, 1, 1}, normalised, 1e-5f);
        }
    }

    @Test
    void weightedContrastiveLossMatchesHandComputation() {
        double[][] h1 = {{1, -1, 1, 1}, {-1, -1, 1, -1}, {1, 1, -1, 1}};
        double[][] h2 = {{1, -1, -1, 1}, {-1, 1, 1, -1}, {1, 1, 1, 1}};
        double[][] w = {{1, 0.3, 0.1}, {0.5, 1, 0.2}, {0.05, 0.4, 1}};
        double tau = 0.3;
        double loss = 0;
        for (int n = 0; n < 3; n++) {
            double[] logits = new double[3];
            double z = 0;
            for (int q = 0; q < 3; q++) {
                double dot = 0;
                for (int k = 0; k < 4; k++) {
                    dot += h1[n][k] * h2[q][k];
                }
                logits[q] = dot / (4 * tau);
                z += Math.exp(logits[q]);
            }
            for (int q = 0; q < 3; q++) {
                loss -= w[n][q] * (logits[q] - Math.log(z)) / 3;
            }
        }
        double balance = 0;
        for (int k = 0; k < 4; k++) {
            double mean = (h1[0][k] + h1[1][k] + h1[2][k]) / 3;
            balance += mean * mean / 4;
        }
        balance -= 1;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(flat(h1), new Shape(3, 4));
            NDArray b = m.create(flat(h2), new Shape(3, 4));
            NDArray wt = m.create(flat(w), new Shape(3, 3));
            assertEquals(loss + balance, WeightedContrastiveLoss.defaults().compute(a, b, wt).getFloat(), 1e-5);
        }
    }

    @Test
    void straightThroughSignPassesTheGradientUnchanged() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray u = m.create(new float[] {-0.3f, 0.2f, 0.9f});
            u.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray h = Quantisation.straightThroughSign(u);
                assertArrayEquals(new float[] {-1, 1, 1}, h.toFloatArray(), 0f);
                gc.backward(h.mul(m.create(new float[] {1, 2, 3})).sum());
                assertArrayEquals(new float[] {1, 2, 3}, u.getGradient().toFloatArray(), 0f);
            }
        }
    }

    @Test
    void zeroTokensGiveFiniteGradients() {
        // ReLU feature maps have all-zero cells (background); normalising them must not poison the step with NaN
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t1 = m.create(new float[] {0, 0, 0, 1, 2, 0, 0.5f, 0, 1, 0, 0, 0}, new Shape(2, 2, 3));
            NDArray t2 = m.create(new float[] {1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0}, new Shape(2, 2, 3));
            t1.setRequiresGradient(true);
            t2.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList att = MutualAttention.apply(t1, t2, 0.1f);
                NDArray w = new WeightedSimilarity(0.05f, false, false, 1).weights(att.get(0), att.get(1));
                gc.backward(w.sum().add(Norms.unitRows(t1).sum()));
            }
            for (NDArray g : new NDArray[] {t1.getGradient(), t2.getGradient()}) {
                for (float v : g.toFloatArray()) {
                    assertTrue(Float.isFinite(v), "finite gradient, got " + java.util.Arrays.toString(g.toFloatArray()));
                }
            }
        }
    }
}
