package org.deephash4j.hash.deep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModels;
import org.deephash4j.nn.loss.OrthoCosLoss;
import org.deephash4j.util.ProgressListener;
import org.deephash4j.util.SeededRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OrthoHash on small generated data: it learns, is reproducible, and its saved model encodes bit-exactly. */
class OrthoHashTest {

    @TempDir
    Path dir;

    /** 4 classes of 16-dimensional feature vectors around separated centres. */
    static FeatureMatrix features(int n, long seed, int[] classesOut) {
        SeededRandom r = new SeededRandom(seed);
        float[][] centres = new float[4][16];
        SeededRandom cr = new SeededRandom(99);
        for (float[] c : centres) {
            for (int j = 0; j < 16; j++) {
                c[j] = (float) (cr.nextGaussian() * 2);
            }
        }
        float[] v = new float[n * 16];
        for (int i = 0; i < n; i++) {
            int c = i % 4;
            classesOut[i] = c;
            for (int j = 0; j < 16; j++) {
                v[i * 16 + j] = centres[c][j] + (float) r.nextGaussian();
            }
        }
        return new FeatureMatrix(n, 16, v);
    }

    static OrthoHash.Config config(long seed) {
        return new OrthoHash.Config(16, "mlp", new Training.Settings(8, 32, 1e-3f, 1f, 5e-4f, Training.Optimiser.ADAM, Training.Schedule.STEP,
                org.deephash4j.data.augment.Augmentation.none(), seed, false), OrthoCosLoss.defaults(), TargetCodes.Kind.MAXHD);
    }

    @Test
    void learnsClassCodesAndSavedModelEncodesBitExactly() throws IOException {
        int[] cls = new int[256];
        FeatureMatrix x = features(256, 1, cls);
        MultiHotLabels y = MultiHotLabels.ofClasses(cls, 4);
        double[] firstAndLast = new double[2];
        DeepHashFunction f = OrthoHash.train(config(3), x, y, new ImageShape(1, 1, 16), (epoch, loss, current) -> {
            if (epoch == 1) {
                firstAndLast[0] = loss;
            }
            firstAndLast[1] = loss;
        }, ProgressListener.NONE);
        assertTrue(firstAndLast[1] < 0.7 * firstAndLast[0], "loss falls: " + firstAndLast[0] + " -> " + firstAndLast[1]);

        int[] testCls = new int[64];
        FeatureMatrix test = features(64, 2, testCls);
        BinaryCodes codes = f.encode(test, null);
        // items of a class are closer to each other than to other classes, on average by a wide margin
        double same = 0;
        double other = 0;
        int ns = 0;
        int no = 0;
        for (int a = 0; a < 64; a++) {
            for (int b = a + 1; b < 64; b++) {
                if (testCls[a] == testCls[b]) {
                    same += codes.distance(a, codes, b);
                    ns++;
                } else {
                    other += codes.distance(a, codes, b);
                    no++;
                }
            }
        }
        assertTrue(same / ns + 3 < other / no, "mean distance within classes " + same / ns + ", between " + other / no);

        Path file = dir.resolve("orthohash.dhm");
        HashModels.save(file, f, Map.of("data", "synthetic"));
        HashFunction loaded = HashModels.load(file);
        assertEquals("orthohash", loaded.method());
        assertEquals(codes, loaded.encode(test, null), "the loaded model encodes bit-exactly");
        f.close();
    }

    @Test
    void trainingIsReproducibleForASeed() {
        int[] cls = new int[128];
        FeatureMatrix x = features(128, 4, cls);
        MultiHotLabels y = MultiHotLabels.ofClasses(cls, 4);
        OrthoHash.Config c = new OrthoHash.Config(16, "mlp", new Training.Settings(2, 32, 1e-3f, 1f, 5e-4f, Training.Optimiser.ADAM, Training.Schedule.STEP,
                org.deephash4j.data.augment.Augmentation.none(), 7, false), OrthoCosLoss.defaults(), TargetCodes.Kind.BERNOULLI);
        try (DeepHashFunction a = OrthoHash.train(c, x, y, new ImageShape(1, 1, 16), null, ProgressListener.NONE);
                DeepHashFunction b = OrthoHash.train(c, x, y, new ImageShape(1, 1, 16), null, ProgressListener.NONE)) {
            assertEquals(a.encode(x, null), b.encode(x, null));
        }
    }
}
