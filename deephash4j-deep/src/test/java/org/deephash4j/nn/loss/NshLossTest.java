package org.deephash4j.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import org.deephash4j.nn.DeepEngine;
import org.deephash4j.nn.SoftSortTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NSH's loss against values computed by hand, and where its gradient reaches the codes. */
class NshLossTest {

    static final int N = 4;
    static final int K = 3;
    static final int D = 2;
    static final double[][] B1 = {{0.9, -0.2, 0.5}, {-0.7, 0.8, 0.1}, {0.3, 0.3, -0.9}, {-0.4, -0.6, 0.7}};
    static final double[][] B2 = {{0.8, -0.1, 0.6}, {-0.5, 0.9, -0.2}, {0.1, 0.4, -0.8}, {-0.3, -0.7, 0.5}};
    static final double[][] Z1 = unit(new double[][] {{1, 0.2}, {-0.3, 1}, {0.6, -0.8}, {-1, -0.4}});
    static final double[][] Z2 = unit(new double[][] {{0.9, 0.3}, {-0.2, 1}, {0.7, -0.7}, {-0.8, -0.6}});

    @BeforeAll
    static void engine() {
        DeepEngine.get();
    }

    static double[][] unit(double[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double norm = Math.sqrt(x[i][0] * x[i][0] + x[i][1] * x[i][1]);
            out[i] = new double[] {x[i][0] / norm, x[i][1] / norm};
        }
        return out;
    }

    /** The whole loss in double precision, straight from methods.md §2.3-2.4. */
    static double expected(int m, double tauNce, double tauSort, boolean cosine, boolean doubleSoftmax, double lambda) {
        double nce = 0;
        for (int i = 0; i < N; i++) {
            double[] s = new double[N];
            for (int k = 0; k < N; k++) {
                double dot = 0;
                for (int j = 0; j < K; j++) {
                    dot += B1[i][j] * B2[k][j];
                }
                s[k] = dot / (2 * K) + 0.5;
            }
            double[][] p = SoftSortTest.expected(s, tauSort);
            double[] c = new double[N];
            for (int r = 0; r < N; r++) {
                double[] e = new double[D];
                for (int k = 0; k < N; k++) {
                    for (int d = 0; d < D; d++) {
                        e[d] += p[r][k] * Z1[k][d];
                    }
                }
                double dot = e[0] * Z2[i][0] + e[1] * Z2[i][1];
                c[r] = cosine ? dot / Math.hypot(e[0], e[1]) : dot;
            }
            for (int r = 0; r < m; r++) {
                double[] logits = new double[N - m + 1];
                logits[0] = c[r] / tauNce;
                for (int q = m; q < N; q++) {
                    logits[q - m + 1] = c[q] / tauNce;
                }
                if (doubleSoftmax) {
                    logits = softmax(logits);
                }
                nce += -Math.log(softmax(logits)[0]) / (N * m);
            }
        }
        return nce + lambda * (quantisation(B1) + quantisation(B2));
    }

    static double[] softmax(double[] x) {
        double max = Arrays.stream(x).max().orElseThrow();
        double z = 0;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.exp(x[i] - max);
            z += out[i];
        }
        for (int i = 0; i < x.length; i++) {
            out[i] /= z;
        }
        return out;
    }

    static double quantisation(double[][] b) {
        double sum = 0;
        for (double[] row : b) {
            for (double v : row) {
                sum += (v - Math.signum(v)) * (v - Math.signum(v));
            }
        }
        return sum / (b.length * b[0].length);
    }

    static NDArray array(NDManager m, double[][] x) {
        float[] flat = new float[x.length * x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                flat[i * x[0].length + j] = (float) x[i][j];
            }
        }
        return m.create(flat, new Shape(x.length, x[0].length));
    }

    float loss(NshLoss l) {
        try (NDManager m = NDManager.newBaseManager()) {
            return l.compute(array(m, B1), array(m, B2), array(m, Z1), array(m, Z2)).getFloat();
        }
    }

    @Test
    void defaultLossMatchesHandComputation() {
        assertEquals(expected(2, 0.3, 1.0 / K, false, false, 1), loss(NshLoss.defaults(K)), 1e-5);
    }

    @Test
    void optionsMatchHandComputation() {
        assertEquals(expected(1, 0.1, 0.05, false, false, 0.5),
                loss(new NshLoss(1, 0.1f, 0.05f, false, NshLoss.Score.DOT, false, true, 0.5f)), 1e-5);
        assertEquals(expected(2, 0.3, 1.0 / K, true, false, 1),
                loss(new NshLoss(2, 0.3f, 1f / K, false, NshLoss.Score.COSINE, false, true, 1f)), 1e-5);
        assertEquals(expected(2, 0.3, 1.0 / K, false, true, 1),
                loss(new NshLoss(2, 0.3f, 1f / K, false, NshLoss.Score.DOT, true, true, 1f)), 1e-5);
        assertEquals(expected(3, 0.3, 0.2, false, false, 0),
                loss(new NshLoss(3, 0.3f, 0.2f, false, NshLoss.Score.DOT, false, true, 0f)), 1e-5);
    }

    @Test
    void withoutTheSortItIsInfoNceOnTheLatents() {
        double expected = 0;
        for (int i = 0; i < N; i++) {
            double[] logits = new double[N];
            for (int k = 0; k < N; k++) {
                logits[k] = (Z1[k][0] * Z2[i][0] + Z1[k][1] * Z2[i][1]) / 0.3;
            }
            expected += -Math.log(softmax(logits)[i]) / N;
        }
        assertEquals(expected, loss(new NshLoss(2, 0.3f, 1f / K, false, NshLoss.Score.DOT, false, false, 0f)), 1e-5);
    }

    /** Gradient norms of the loss with respect to b1 and b2. */
    double[] codeGradients(NshLoss l) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray b1 = array(m, B1);
            NDArray b2 = array(m, B2);
            b1.setRequiresGradient(true);
            b2.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(l.compute(b1, b2, array(m, Z1), array(m, Z2)));
            }
            return new double[] {b1.getGradient().norm().getFloat(), b2.getGradient().norm().getFloat()};
        }
    }

    @Test
    void codesLearnOnlyThroughTheSortAndTheQuantisationLoss() {
        double[] viaSort = codeGradients(new NshLoss(2, 0.3f, 1f / K, false, NshLoss.Score.DOT, false, true, 0f));
        assertTrue(viaSort[0] > 1e-3 && viaSort[1] > 1e-3, "the sort must carry gradient to both views' codes: "
                + Arrays.toString(viaSort));
        double[] noSortNoQuantisation = codeGradients(new NshLoss(2, 0.3f, 1f / K, false, NshLoss.Score.DOT, false, false, 0f));
        assertEquals(0, noSortNoQuantisation[0], 0);
        assertEquals(0, noSortNoQuantisation[1], 0);
        double[] quantisationOnly = codeGradients(new NshLoss(2, 0.3f, 1f / K, false, NshLoss.Score.DOT, false, false, 1f));
        assertTrue(quantisationOnly[0] > 1e-3, Arrays.toString(quantisationOnly));
    }

    @Test
    void ntXentMatchesHandComputation() {
        double[][] u1 = {{1, 2}, {-1, 0.5}, {0.2, -1}};
        double[][] u2 = {{0.8, 2.2}, {-1.2, 0.4}, {0.5, -0.9}};
        double[][] u = new double[6][];
        for (int i = 0; i < 3; i++) {
            u[i] = u1[i];
            u[i + 3] = u2[i];
        }
        u = unit(u);
        double expected = 0;
        for (int i = 0; i < 6; i++) {
            double[] logits = new double[5];
            int q = 0;
            int positiveAt = -1;
            for (int k = 0; k < 6; k++) {
                if (k != i) {
                    if (k == (i + 3) % 6) {
                        positiveAt = q;
                    }
                    logits[q++] = (u[i][0] * u[k][0] + u[i][1] * u[k][1]) / 0.5;
                }
            }
            expected += -Math.log(softmax(logits)[positiveAt]) / 6;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(expected, new NtXent(0.5f).compute(array(m, u1), array(m, u2)).getFloat(), 1e-5);
        }
    }
}
