package org.deephash4j.hash.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModels;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-estimating BatchNorm statistics on un-augmented images: centred, reproducible, saved. */
class BatchNormRecalibrationTest {

    @TempDir
    java.nio.file.Path dir;

    private static DeepHashFunction trainBriefly(FeatureMatrix x) {
        return trainBriefly(x, 1, false, null);
    }

    private static DeepHashFunction trainBriefly(FeatureMatrix x, int epochs, boolean reestimate, Training.EpochListener listener) {
        Nsh.Config d = Nsh.Config.defaults(16, "cnn", Augmentation.digits(), 2);
        Nsh.Config c = new Nsh.Config(16, "cnn", new Training.Settings(epochs, 32, 1e-3f, 1f, 0f, Training.Optimiser.ADAM,
                Training.Schedule.CONSTANT, Augmentation.digits(), 2, reestimate), d.hashLayer(), d.latentDim(), d.loss());
        return Nsh.train(c, x, WchTest.SHAPE, listener, ProgressListener.NONE, null);
    }

    /** The largest |per-bit mean| of row-major codes. */
    private static double worstBitMean(float[] codes, int bits) {
        double worst = 0;
        for (double mean : moments(codes, bits)[0]) {
            worst = Math.max(worst, Math.abs(mean));
        }
        return worst;
    }

    /** Per-bit mean and (biased) variance of row-major codes. */
    private static double[][] moments(float[] codes, int bits) {
        int n = codes.length / bits;
        double[][] m = new double[2][bits];
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < bits; b++) {
                m[0][b] += codes[i * bits + b] / (double) n;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < bits; b++) {
                double dev = codes[i * bits + b] - m[0][b];
                m[1][b] += dev * dev / n;
            }
        }
        return m;
    }

    @Test
    void statisticsOfTheGivenImagesCentreEveryBit() throws Exception {
        FeatureMatrix x = WchTest.images(64);
        try (DeepHashFunction f = trainBriefly(x)) {
            double worstBefore = worstBitMean(f.continuousCodes(x), 16);
            f.recalibrateBatchNorm(x);
            float[] after = f.continuousCodes(x);
            double[][] a = moments(after, 16);
            for (int bit = 0; bit < 16; bit++) {
                // 64 images < one batch: every pass sees all of them, so the running statistics are theirs
                // (up to PyTorch's unbiased running variance, 64/63)
                assertEquals(0, a[0][bit], 0.02, "bit " + bit + " mean");
                assertEquals(1, a[1][bit], 0.05, "bit " + bit + " variance");
            }
            assertTrue(worstBefore > 0.1, "statistics of augmented training views are not these images': " + worstBefore);
            f.recalibrateBatchNorm(x);
            assertArrayEquals(after, f.continuousCodes(x), "from a fixed start, recalibrating again changes nothing");
            assertEquals("re-estimated on 64 un-augmented images", f.contents().config().get(DeepHashFunction.BN_STATISTICS));
            java.nio.file.Path file = dir.resolve("recalibrated.dhm");
            HashModels.save(file, f, java.util.Map.of());
            HashFunction loaded = HashModels.load(file);
            assertArrayEquals(f.encode(x, null).words(), loaded.encode(x, null).words(), "the statistics are saved");
            ((AutoCloseable) loaded).close();
        }
    }

    @Test
    void moreImagesThanOneBatchAreShuffledIntoEveryBatch() throws Exception {
        // 600 images (more than one batch) in two groups of different brightness: the statistics must cover both
        FeatureMatrix x = WchTest.images(600);
        float[] v = x.values().clone();
        int d = WchTest.SHAPE.pixels();
        for (int i = 300 * d; i < v.length; i++) {
            v[i] *= 0.2f;
        }
        FeatureMatrix sorted = new FeatureMatrix(600, d, v);
        try (DeepHashFunction f = trainBriefly(WchTest.images(64))) {
            f.recalibrateBatchNorm(sorted);
            double[][] a = moments(f.continuousCodes(sorted), 16);
            for (int bit = 0; bit < 16; bit++) {
                assertEquals(0, a[0][bit], 0.15, "bit " + bit + " mean over both groups");
            }
        }
    }

    @Test
    void wrongSizesAndSingleImagesAreRefused() throws Exception {
        try (DeepHashFunction f = trainBriefly(WchTest.images(64))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> f.recalibrateBatchNorm(new FeatureMatrix(4, 10, new float[40])));
            assertTrue(e.getMessage().contains("784") && e.getMessage().contains("10"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> f.recalibrateBatchNorm(WchTest.images(1)));
            assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
            assertEquals("running averages of the last training batches", f.contents().config().get(DeepHashFunction.BN_STATISTICS),
                    "a refused re-estimate leaves the statistics as they were");
        }
    }

    @Test
    void trainingReestimatesTheStatisticsWhenTheSettingsAsk() throws Exception {
        FeatureMatrix x = WchTest.images(64);
        float[][] afterFirstEpoch = new float[2][];
        Training.EpochListener[] listeners = new Training.EpochListener[2];
        for (int run = 0; run < 2; run++) {
            int r = run;
            listeners[run] = (epoch, loss, current) -> {
                if (epoch == 1) {
                    afterFirstEpoch[r] = current.continuousCodes(x);
                }
            };
        }
        try (DeepHashFunction kept = trainBriefly(x, 2, false, listeners[0]);
                DeepHashFunction reestimated = trainBriefly(x, 2, true, listeners[1])) {
            // the same seed trains the same weights; only the statistics the listener and the result encode with differ
            assertTrue(worstBitMean(afterFirstEpoch[0], 16) > 0.1, "training's statistics: " + worstBitMean(afterFirstEpoch[0], 16));
            assertTrue(worstBitMean(afterFirstEpoch[1], 16) < 0.02, "re-estimated before the listener's first encoding: "
                    + worstBitMean(afterFirstEpoch[1], 16));
            float[] codes = reestimated.continuousCodes(x);
            assertTrue(worstBitMean(codes, 16) < 0.02, "the trained model's statistics are re-estimated: " + worstBitMean(codes, 16));
            assertTrue(worstBitMean(kept.continuousCodes(x), 16) > 0.1, "without the setting they are training's");
            assertEquals("re-estimated on 64 un-augmented images", reestimated.contents().config().get(DeepHashFunction.BN_STATISTICS));
            reestimated.recalibrateBatchNorm(x);
            assertArrayEquals(codes, reestimated.continuousCodes(x), "re-estimating again changes nothing: it was done on these images");
        }
    }

    @Test
    void aListenerThatNeverEncodesGetsTheSameFinalModel() throws Exception {
        // the last epoch's listener gets the final statistics; the model returned is re-estimated once, either way
        FeatureMatrix x = WchTest.images(64);
        try (DeepHashFunction withListener = trainBriefly(x, 2, true, (epoch, loss, current) -> { });
                DeepHashFunction without = trainBriefly(x, 2, true, null)) {
            assertTrue(worstBitMean(withListener.continuousCodes(x), 16) < 0.02, "re-estimated at the last epoch");
            assertTrue(worstBitMean(without.continuousCodes(x), 16) < 0.02, "re-estimated after training");
            assertEquals(without.contents().config(), withListener.contents().config());
        }
    }

    @Test
    void aListenerThatNeedsNoModelGetsNoneAndTheResultIsStillReestimated() throws Exception {
        FeatureMatrix x = WchTest.images(64);
        java.util.List<Object> given = new java.util.ArrayList<>();
        Training.EpochListener lossOnly = new Training.EpochListener() {
            @Override
            public void epochDone(int epoch, double meanLoss, DeepHashFunction current) {
                given.add(current == null ? "none" : current);
            }

            @Override
            public boolean needsModel(int epoch) {
                return false;
            }
        };
        try (DeepHashFunction f = trainBriefly(x, 2, true, lossOnly)) {
            assertEquals(java.util.List.of("none", "none"), given, "no model, so no re-estimate, for epochs nobody looks at");
            assertTrue(worstBitMean(f.continuousCodes(x), 16) < 0.02, "the result is re-estimated after training");
            assertEquals("re-estimated on 64 un-augmented images", f.contents().config().get(DeepHashFunction.BN_STATISTICS));
        }
    }
}
