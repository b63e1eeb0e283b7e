package org.deephash4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SoftSort: the formula, its gradient against finite differences, the hard variant, the τ → 0 limit. */
public class SoftSortTest {

    @BeforeAll
    static void engine() {
        DeepEngine.get();
    }

    /** P[r][k] computed by hand in double precision. */
    public static double[][] expected(double[] s, double tau) {
        int n = s.length;
        double[] sorted = s.clone();
        Arrays.sort(sorted);
        double[][] p = new double[n][n];
        for (int r = 0; r < n; r++) {
            double top = sorted[n - 1 - r]; // descending
            double z = 0;
            for (int k = 0; k < n; k++) {
                p[r][k] = Math.exp(-Math.abs(top - s[k]) / tau);
                z += p[r][k];
            }
            for (int k = 0; k < n; k++) {
                p[r][k] /= z;
            }
        }
        return p;
    }

    @Test
    void forwardMatchesTheDefinitionRowByRow() {
        double[][] rows = {{0.3, 0.9, 0.1, 0.5}, {0.7, 0.2, 0.2, 0.95}};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.create(new float[] {0.3f, 0.9f, 0.1f, 0.5f, 0.7f, 0.2f, 0.2f, 0.95f}, new Shape(2, 4));
            float[] p = SoftSort.permutation(s, 0.25f, false).toFloatArray();
            for (int i = 0; i < 2; i++) {
                double[][] e = expected(rows[i], 0.25);
                for (int r = 0; r < 4; r++) {
                    for (int k = 0; k < 4; k++) {
                        assertEquals(e[r][k], p[i * 16 + r * 4 + k], 1e-6, "row " + i + " rank " + r + " item " + k);
                    }
                }
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Random rnd = new Random(3);
        int n = 5;
        double[] s = new double[2 * n];
        double[] w = new double[2 * n * n];
        for (int i = 0; i < s.length; i++) {
            s[i] = rnd.nextDouble();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = rnd.nextGaussian();
        }
        double tau = 0.2;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray weights = m.create(w, new Shape(2, n, n));
            Function<NDArray, NDArray> f = x -> SoftSort.permutation(x, (float) tau, false).mul(weights).sum();
            NDArray x = m.create(s, new Shape(2, n));
            x.setRequiresGradient(true);
            double[] analytic;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(x);
                gc.backward(y);
                analytic = x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
            }
            double h = 1e-6;
            for (int i = 0; i < s.length; i++) {
                double[] plus = s.clone();
                double[] minus = s.clone();
                plus[i] += h;
                minus[i] -= h;
                double fp = f.apply(m.create(plus, new Shape(2, n))).toDoubleArray()[0];
                double fm = f.apply(m.create(minus, new Shape(2, n))).toDoubleArray()[0];
                double numeric = (fp - fm) / (2 * h);
                assertEquals(numeric, analytic[i], 1e-5 * Math.max(1, Math.abs(numeric)), "d/ds[" + i + "]");
            }
        }
    }

    @Test
    void hardVariantIsAnExactPermutationWithTheSoftGradient() {
        float[] s = {0.3f, 0.9f, 0.1f, 0.5f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(s, new Shape(1, 4));
            x.setRequiresGradient(true);
            NDArray weights = m.randomNormal(new Shape(1, 4, 4));
            float[] hardGrad;
            float[] p;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray hard = SoftSort.permutation(x, 0.5f, true);
                p = hard.toFloatArray();
                gc.backward(hard.mul(weights).sum());
                hardGrad = x.getGradient().toFloatArray();
            }
            // descending: 0.9 (item 1), 0.5 (3), 0.3 (0), 0.1 (2)
            float[] permutation = {0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0};
            assertArrayEquals(permutation, p, 0f);
            NDArray y = m.create(s, new Shape(1, 4));
            y.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(SoftSort.permutation(y, 0.5f, false).mul(weights).sum());
                assertArrayEquals(y.getGradient().toFloatArray(), hardGrad, 1e-6f);
            }
        }
    }

    @Test
    void tendsToTheTrueSortAsTemperatureFalls() {
        Random rnd = new Random(11);
        float[] s = new float[8];
        for (int i = 0; i < s.length; i++) {
            s[i] = rnd.nextFloat();
        }
        Integer[] order = new Integer[8];
        for (int i = 0; i < 8; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(s[b], s[a]));
        double previous = Double.MAX_VALUE;
        try (NDManager m = NDManager.newBaseManager()) {
            for (float tau : new float[] {1f, 0.1f, 0.01f, 0.001f}) {
                float[] p = SoftSort.permutation(m.create(s, new Shape(1, 8)), tau, false).toFloatArray();
                double error = 0;
                for (int r = 0; r < 8; r++) {
                    for (int k = 0; k < 8; k++) {
                        error = Math.max(error, Math.abs(p[r * 8 + k] - (order[r] == k ? 1 : 0)));
                    }
                }
                assertEquals(true, error < previous || error < 1e-6, "error must fall with tau: " + error + " at tau " + tau);
                previous = error;
            }
            assertEquals(0, previous, 1e-4);
        }
    }

    @Test
    void temperatureMustBePositive() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.create(new float[] {1, 2});
            assertThrows(IllegalArgumentException.class, () -> SoftSort.permutation(s, 0f, false));
        }
    }
}
