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
            float[] got = WeightedSimilarity.official().weights(t1, t2).toFloatArray();
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
                    NDArray w = new WeightedSimilarity(0.2f, false, WeightedSimilarity.Bound.NONE, block).weights(x, t2);
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
    void boundedWeightsStayAtMostOneOrSumToOne() {
        // row 0: another image matches 0.8 better than the own view, unbounded weight e^16 at T_w 0.05
        float[] sim = {0.1f, 0.9f, -0.2f, 0.3f, 0.5f, 0.4f, -1f, 1f, -0.9f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.create(sim, new Shape(3, 3));
            float[] none = new WeightedSimilarity(0.05f, false, WeightedSimilarity.Bound.NONE, 1).weightsOf(s).toFloatArray();
            float[] clip = new WeightedSimilarity(0.05f, false, WeightedSimilarity.Bound.CLIP, 1).weightsOf(s).toFloatArray();
            float[] rows = new WeightedSimilarity(0.05f, false, WeightedSimilarity.Bound.ROWS, 1).weightsOf(s).toFloatArray();
            assertEquals(Math.exp(16), none[1], Math.exp(16) * 1e-5, "the official form is unbounded");
            for (int i = 0; i < 9; i++) {
                assertEquals(Math.min(none[i], 1f), clip[i], 1e-6, "clip: min(W, 1) at " + i);
            }
            for (int n = 0; n < 3; n++) {
                assertEquals(1f, clip[n * 3 + n], 1e-6, "the positive pair keeps weight 1");
                double sum = none[n * 3] + none[n * 3 + 1] + none[n * 3 + 2];
                for (int q = 0; q < 3; q++) {
                    assertEquals(none[n * 3 + q] / sum, rows[n * 3 + q], 1e-6, "rows: each row a distribution");
                }
            }
        }
    }

    @Test
    void weightsAreTheRowSoftmaxDividedByItsDiagonalWithItsGradient() {
        // row 0: another image matches 0.8 better than the own view (weight e^16 at T_w 0.05); row 2: 1.9 better (e^38)
        float[] sim = {0.1f, 0.9f, -0.2f, 0.3f, 0.5f, 0.4f, -1f, 1f, -0.9f};
        float t = 0.05f;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.create(sim, new Shape(3, 3));
            s.setRequiresGradient(true);
            float[] w;
            float[] grad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray weights = new WeightedSimilarity(t, false, WeightedSimilarity.Bound.NONE, 1).weightsOf(s);
                w = weights.toFloatArray();
                gc.backward(weights.sum());
                grad = s.getGradient().toFloatArray();
            }
            for (int n = 0; n < 3; n++) {
                double z = 0;
                for (int q = 0; q < 3; q++) {
                    z += Math.exp(sim[n * 3 + q] / t);
                }
                double diagonalSoftmax = Math.exp(sim[n * 3 + n] / t) / z;
                double diagonalGrad = 0;
                for (int q = 0; q < 3; q++) {
                    double expected = Math.exp(sim[n * 3 + q] / t) / z / diagonalSoftmax;
                    assertEquals(expected, w[n * 3 + q], expected * 1e-4, "W[" + n + ", " + q + "]");
                    if (q != n) {
                        // dW[n, q] / dW~[n, q] = W[n, q] / T_w; the diagonal's own weight is the constant 1
                        assertEquals(expected / t, grad[n * 3 + q], expected / t * 1e-4, "dW/dW~[" + n + ", " + q + "]");
                        diagonalGrad -= expected / t;
                    }
                }
                assertEquals(diagonalGrad, grad[n * 4], Math.abs(diagonalGrad) * 1e-4, "dW/dW~[" + n + ", " + n + "]");
            }
            assertTrue(w[7] > 1e16, "row 2's better match weighs e^38: " + w[7]);
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
                        sim = new WeightedSimilarity(0.2f, false, WeightedSimilarity.Bound.NONE, 2).patchSimilarity(a, b);
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
                NDArray w = new WeightedSimilarity(0.2f, true, WeightedSimilarity.Bound.NONE, 2).weights(t1, t2);
                NDArray y = w.sum().add(t1.sum().mul(0));
                gc.backward(y);
                assertEquals(0f, t1.getGradient().abs().sum().getFloat(), 0f, "stop-gradient: no gradient through the weights");
            }
            float[] normalised = new WeightedSimilarity(0.2f, false, WeightedSimilarity.Bound.ROWS, 2).weights(t1.stopGradient(), t2).sum(new int[] {1})
                    .toFloatArray();
            assertArrayEquals(new float[] {1, 1, 1, 1}, normalised, 1e-5f);
        }
    }

    /** WCH's loss by hand: -(1/N) Σ_n Σ_m w[n][m] log softmax_m(<a_n, b_m> / (K τ)) plus a's bit-balance regulariser. */
    private static double handLoss(double[][] a, double[][] b, double[][] w, double tau) {
        int n = a.length;
        int bits = a[0].length;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double[] logits = new double[n];
            double z = 0;
            for (int q = 0; q < n; q++) {
                double dot = 0;
                for (int k = 0; k < bits; k++) {
                    dot += a[i][k] * b[q][k];
                }
                logits[q] = dot / (bits * tau);
                z += Math.exp(logits[q]);
            }
            for (int q = 0; q < n; q++) {
                loss -= w[i][q] * (logits[q] - Math.log(z)) / n;
            }
        }
        double balance = 0;
        for (int k = 0; k < bits; k++) {
            double mean = 0;
            for (double[] row : a) {
                mean += row[k] / n;
            }
            balance += mean * mean / bits;
        }
        return loss + balance - 1; // mean(h²) = 1 for ±1 codes
    }

    @Test
    void weightedContrastiveLossMatchesHandComputation() {
        double[][] h1 = {{1, -1, 1, 1}, {-1, -1, 1, -1}, {1, 1, -1, 1}};
        double[][] h2 = {{1, -1, -1, 1}, {-1, 1, 1, -1}, {1, 1, 1, 1}};
        double[][] w = {{1, 0.3, 0.1}, {0.5, 1, 0.2}, {0.05, 0.4, 1}};
        double[][] wT = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                wT[i][j] = w[j][i];
            }
        }
        double oneWay = handLoss(h1, h2, w, 0.3);
        double symmetric = (oneWay + handLoss(h2, h1, wT, 0.3)) / 2;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(flat(h1), new Shape(3, 4));
            NDArray b = m.create(flat(h2), new Shape(3, 4));
            NDArray wt = m.create(flat(w), new Shape(3, 3));
            assertEquals(oneWay, WeightedContrastiveLoss.defaults().compute(a, b, wt).getFloat(), 1e-5);
            assertEquals(symmetric, new WeightedContrastiveLoss(0.3f, 1f, true).compute(a, b, wt).getFloat(), 1e-5);
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
                NDArray w = new WeightedSimilarity(0.05f, false, WeightedSimilarity.Bound.NONE, 1).weights(att.get(0), att.get(1));
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
