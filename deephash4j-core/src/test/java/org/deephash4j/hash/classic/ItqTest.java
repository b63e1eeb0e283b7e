package org.deephash4j.hash.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.data.FeatureMatrix;
import org.junit.jupiter.api.Test;

class ItqTest {

    @Test
    void rotationIsOrthogonalAndTheLossNeverIncreases() {
        FeatureMatrix x = LshTest.clusters(8, 40, 4);
        Itq.Fit fit = new Itq(30).fitWithDiagnostics(x, 16, 3);
        double[] r = fit.rotation();
        int b = 16;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                double dot = 0;
                for (int k = 0; k < b; k++) {
                    dot += r[k * b + i] * r[k * b + j];
                }
                assertEquals(i == j ? 1.0 : 0.0, dot, 1e-9, "R^T R at " + i + "," + j);
            }
        }
        double[] loss = fit.loss();
        assertEquals(31, loss.length);
        for (int t = 1; t < loss.length; t++) {
            assertTrue(loss[t] <= loss[t - 1] * (1 + 1e-12), "iteration " + t + ": " + loss[t - 1] + " -> " + loss[t]);
        }
        assertTrue(loss[loss.length - 1] < loss[0], "the rotation reduces the quantisation loss: " + loss[0] + " -> "
                + loss[loss.length - 1]);
    }

    @Test
    void zeroIterationsIsPcaWithARandomRotation() {
        FeatureMatrix x = LshTest.clusters(3, 20, 5);
        Itq.Fit fit = new Itq(0).fitWithDiagnostics(x, 8, 1);
        assertEquals(1, fit.loss().length);
        assertEquals(Itq.randomRotation(8, 1).data[5], fit.rotation()[5], 0);
    }
}
