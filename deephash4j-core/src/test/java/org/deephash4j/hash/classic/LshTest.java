package org.deephash4j.hash.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.hash.HashFunction;
import org.junit.jupiter.api.Test;

class LshTest {

    /** {@code perCluster} points around each of {@code centres} well-separated centres in 50 dimensions. */
    static FeatureMatrix clusters(int centres, int perCluster, long seed) {
        return clusters(centres, perCluster, seed, 0.1);
    }

    /** Like {@link #clusters(int, int, long)} with the given within-cluster standard deviation. */
    static FeatureMatrix clusters(int centres, int perCluster, long seed, double noise) {
        Random r = new Random(seed);
        int d = 50;
        float[][] c = new float[centres][d];
        for (float[] row : c) {
            for (int k = 0; k < d; k++) {
                row[k] = (float) (r.nextGaussian() * 10);
            }
        }
        float[] v = new float[centres * perCluster * d];
        for (int i = 0; i < centres * perCluster; i++) {
            for (int k = 0; k < d; k++) {
                v[i * d + k] = c[i / perCluster][k] + (float) (r.nextGaussian() * noise);
            }
        }
        return new FeatureMatrix(centres * perCluster, d, v);
    }

    @Test
    void wellSeparatedClustersGetDistinctCodesAndClosePointsShareThem() {
        FeatureMatrix x = clusters(6, 20, 1);
        BinaryCodes codes = new Lsh().fit(x, 64, 3).encode(x, null);
        for (int a = 0; a < 120; a++) {
            for (int b = 0; b < 120; b++) {
                int d = codes.distance(a, codes, b);
                if (a / 20 == b / 20) {
                    assertTrue(d <= 4, "same cluster, distance " + d);
                } else {
                    assertTrue(d >= 10, "different clusters, distance " + d);
                }
            }
        }
    }

    @Test
    void fittingIsDeterministicGivenTheSeed() {
        FeatureMatrix x = clusters(3, 10, 2);
        Lsh lsh = new Lsh();
        assertEquals(lsh.fit(x, 32, 7).encode(x, null), lsh.fit(x, 32, 7).encode(x, null));
        assertNotEquals(lsh.fit(x, 32, 7).encode(x, null), lsh.fit(x, 32, 8).encode(x, null));
    }

    @Test
    void encodingIsTheSignOfTheCentredProjection() {
        FeatureMatrix x = new FeatureMatrix(2, 2, new float[] {1, 2, 3, 6});
        LinearHashFunction f = (LinearHashFunction) new Lsh().fit(x, 8, 1);
        float[] mean = f.mean();
        assertEquals(2f, mean[0]);
        assertEquals(4f, mean[1]);
        float[] w = f.projection();
        BinaryCodes c = f.encode(x, null);
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 8; k++) {
                double p = (x.get(i, 0) - mean[0]) * w[k] + (x.get(i, 1) - mean[1]) * w[8 + k];
                assertEquals(p >= 0, c.bit(i, k));
            }
        }
    }

    @Test
    void wrongDimensionIsRefused() {
        HashFunction f = new Lsh().fit(clusters(2, 2, 1), 16, 1);
        assertThrows(IllegalArgumentException.class, () -> f.encode(new FeatureMatrix(1, 3, new float[3]), null));
    }
}
