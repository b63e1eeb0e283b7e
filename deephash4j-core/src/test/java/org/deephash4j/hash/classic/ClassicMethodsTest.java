package org.deephash4j.hash.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashMethod;
import org.deephash4j.hash.HashModels;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Properties every classic method must have, on synthetic data with known structure. */
class ClassicMethodsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"lsh", "pcah", "itq", "sh"})
    void wellSeparatedClustersGetDistinctCodesAndMembersAgree(String name) {
        // 24 tight clusters in 50 dimensions, 16 bits: more informative directions than bits.
        int clusters = 24;
        int per = 20;
        FeatureMatrix x = LshTest.clusters(clusters, per, 3, 0.01);
        BinaryCodes c = ClassicMethods.byName(name).fit(x, 16, 1).encode(x, null);
        int[] modal = new int[clusters];
        int agreeing = 0;
        for (int k = 0; k < clusters; k++) {
            int best = -1;
            int bestCount = -1;
            for (int a = k * per; a < (k + 1) * per; a++) {
                int same = 0;
                for (int b = k * per; b < (k + 1) * per; b++) {
                    if (c.distance(a, c, b) == 0) {
                        same++;
                    }
                }
                if (same > bestCount) {
                    best = a;
                    bestCount = same;
                }
            }
            modal[k] = best;
            agreeing += bestCount;
        }
        assertTrue(agreeing >= 0.95 * clusters * per, name + ": only " + agreeing + " of " + clusters * per
                + " items share their cluster's most common code");
        for (int a = 0; a < clusters; a++) {
            for (int b = a + 1; b < clusters; b++) {
                assertTrue(c.distance(modal[a], c, modal[b]) > 0, name + ": clusters " + a + " and " + b + " share a code");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lsh", "pcah", "itq", "sh"})
    void fittingIsDeterministicAndSavedModelsEncodeBitExactly(String name) throws IOException {
        FeatureMatrix x = LshTest.clusters(5, 30, 9);
        HashMethod m = ClassicMethods.byName(name);
        HashFunction f = m.fit(x, 24, 7);
        BinaryCodes codes = f.encode(x, null);
        assertEquals(codes, m.fit(x, 24, 7).encode(x, null), "same seed, same codes");
        Path file = dir.resolve(name + ".dhm");
        HashModels.save(file, f, Map.of("data", "synthetic"));
        HashFunction loaded = HashModels.load(file);
        assertEquals(name, loaded.method());
        assertEquals(24, loaded.bits());
        assertEquals(50, loaded.inputDimension());
        FeatureMatrix fresh = LshTest.clusters(5, 30, 10);
        assertEquals(f.encode(fresh, null), loaded.encode(fresh, null), "loaded model encodes bit-exactly");
        assertEquals(Map.of("data", "synthetic"), HashModels.read(file).config().get("provenance"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pcah", "itq"})
    void pcaMethodsNeedNoMoreBitsThanDimensions(String name) {
        FeatureMatrix x = new FeatureMatrix(10, 4, new float[40]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassicMethods.byName(name).fit(x, 8, 0));
        assertTrue(e.getMessage().contains("at most as many bits as feature dimensions (4)"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lsh", "pcah", "itq", "sh"})
    void wrongInputDimensionIsRefusedByEveryMethod(String name) {
        HashFunction f = ClassicMethods.byName(name).fit(LshTest.clusters(2, 10, 1), 8, 0);
        assertThrows(IllegalArgumentException.class, () -> f.encode(new FeatureMatrix(1, 3, new float[3]), null));
    }

    @org.junit.jupiter.api.Test
    void pcaFindsTheKnownPrincipalAxes() {
        // Gaussian with standard deviations 5, 2, 0.5 along a rotated orthonormal basis.
        Random r = new Random(1);
        double[][] basis = {{0.6, 0.8, 0}, {-0.8, 0.6, 0}, {0, 0, 1}};
        double[] sd = {5, 2, 0.5};
        int n = 20_000;
        float[] v = new float[n * 3];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 3; a++) {
                double g = r.nextGaussian() * sd[a];
                for (int j = 0; j < 3; j++) {
                    v[i * 3 + j] += (float) (g * basis[a][j]) + (a == 0 ? (j == 0 ? 10 : 0) : 0) * 0;
                }
            }
        }
        Pca pca = Pca.fit(new FeatureMatrix(n, 3, v), 2, "test");
        assertEquals(25, pca.eigenvalues()[0], 0.8);
        assertEquals(4, pca.eigenvalues()[1], 0.15);
        for (int j = 0; j < 3; j++) {
            assertEquals(basis[0][j], pca.components()[j * 2], 0.01, "first axis");
            assertEquals(Math.abs(basis[1][j]), Math.abs(pca.components()[j * 2 + 1]), 0.01, "second axis");
        }
    }

    @org.junit.jupiter.api.Test
    void spectralHashingPicksTheLowestFrequencyModesAlongTheLongestDirectionFirst() {
        // Uniform box, 4 wide along x and 1.5 along y: PCA direction 0 is x.
        Random r = new Random(2);
        int n = 5000;
        float[] v = new float[n * 2];
        for (int i = 0; i < n; i++) {
            v[2 * i] = (float) (r.nextDouble() * 4);
            v[2 * i + 1] = (float) (r.nextDouble() * 1.5);
        }
        FeatureMatrix x = new FeatureMatrix(n, 2, v);
        SpectralHashFunction f = (SpectralHashFunction) new SpectralHashing().fit(x, 8, 0);
        // omega^2 = (m pi / 4)^2 = 0.62 m^2 along x and (m pi / 1.5)^2 = 4.39 m^2 along y:
        // x1 0.62, x2 2.47, y1 4.39, x3 5.55, x4 9.87, x5 15.4, y2 17.5, x6 22.2.
        assertArrayEquals(new int[] {0, 0, 1, 0, 0, 0, 1, 0}, f.directions());
        assertArrayEquals(new int[] {1, 2, 1, 3, 4, 5, 2, 6}, f.modes());
        // Bit 0 is the first eigenfunction along x: positive on the lower half of the range.
        BinaryCodes c = f.encode(new FeatureMatrix(2, 2, new float[] {0.5f, 0.7f, 3.5f, 0.7f}), null);
        assertTrue(c.bit(0, 0) != c.bit(1, 0), "the first bit splits the long direction");
    }
}
