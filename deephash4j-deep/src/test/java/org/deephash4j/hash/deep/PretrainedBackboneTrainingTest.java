package org.deephash4j.hash.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModels;
import org.deephash4j.hash.ModelContents;
import org.deephash4j.util.ProgressListener;
import org.deephash4j.util.SeededRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Methods on the published MobileNetV2: frozen by default (the model file holds only the heads, the
 * backbone keeps the published weights and statistics, so a model rebuilt from the package encodes
 * bit-exactly), WCH on the block_10 grid with kept views, and fine-tuning with {@code backbone-lr-scale}.
 */
@org.junit.jupiter.api.Tag("integration")
class PretrainedBackboneTrainingTest {

    static final ImageShape SHAPE = new ImageShape(3, 32, 32);

    @TempDir
    Path dir;

    /** {@code n} smooth colour patterns of 4 classes (a class is a hue and a stripe direction). */
    static FeatureMatrix images(int n) {
        SeededRandom r = new SeededRandom(7);
        float[] x = new float[n * SHAPE.pixels()];
        for (int i = 0; i < n; i++) {
            int cls = i % 4;
            double phase = r.nextDouble() * 6.28;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int xx = 0; xx < 32; xx++) {
                        double t = (cls % 2 == 0 ? y : xx) / 4.0 + phase;
                        x[((i * 3 + c) * 32 + y) * 32 + xx] = (float) (0.5 + 0.45 * Math.sin(t + c * (1 + cls)));
                    }
                }
            }
        }
        return new FeatureMatrix(n, SHAPE.pixels(), x);
    }

    static MultiHotLabels labels(int n) {
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = i % 4;
        }
        return MultiHotLabels.ofClasses(c, 4);
    }

    private BinaryCodes reloaded(DeepHashFunction f, FeatureMatrix x, String name) throws Exception {
        Path file = dir.resolve(name + ".dhm");
        HashModels.save(file, f, Map.of("data", "synthetic"));
        HashFunction loaded = HashModels.load(file);
        try {
            return loaded.encode(x, null);
        } finally {
            ((AutoCloseable) loaded).close();
        }
    }

    @Test
    void frozenByDefaultSavesOnlyTheHeadAndReloadsBitExactly() throws Exception {
        FeatureMatrix x = images(48);
        DeepRecipe<?> recipe = DeepMethods.recipe("orthohash", 16, "mobilenetv2", SHAPE, 1).set(Map.of("epochs", "2", "batch-size", "16"));
        assertEquals(0f, recipe.config().training().backboneLrScale(), "a published backbone is frozen by default");
        try (DeepHashFunction f = recipe.train(x, labels(48), SHAPE, null, ProgressListener.NONE, null)) {
            ModelContents c = f.contents();
            assertEquals(Boolean.TRUE, c.config().get(DeepHashFunction.FROZEN_BACKBONE));
            assertTrue(c.arrays().size() <= 6, "only the hash layer and its BatchNorm are saved: " + c.arrays().keySet());
            BinaryCodes codes = f.encode(x, null);
            assertArrayEquals(codes.words(), reloaded(f, x, "frozen").words(), "rebuilt from the package, the model encodes bit-exactly");
            assertTrue(DeepHashFunction.pretrainedIn(f.block()).frozen());
        }
    }

    @Test
    void wchTrainsOnTheBlockTenGridFromKeptViews() throws Exception {
        FeatureMatrix x = images(32);
        DeepRecipe<?> recipe = DeepMethods.recipe("wch", 16, "mobilenetv2:block_10", SHAPE, 2)
                .set(Map.of("epochs", "2", "batch-size", "16", "augment", "natural"));
        assertEquals(DeepRecipe.PRETRAINED_FEATURE_VIEWS, recipe.config().training().featureViews());
        recipe = recipe.set(Map.of("feature-views", "2"));
        double[] loss = new double[1];
        try (DeepHashFunction f = recipe.train(x, null, SHAPE, (epoch, l, current) -> loss[0] = l, ProgressListener.NONE, null)) {
            assertTrue(Double.isFinite(loss[0]) && loss[0] != 0, "loss " + loss[0]);
            BinaryCodes codes = f.encode(x, null);
            assertArrayEquals(codes.words(), reloaded(f, x, "wch").words());
        }
    }

    @Test
    void backboneLrScaleFineTunesAndTheFileKeepsTheBackbone() throws Exception {
        FeatureMatrix x = images(32);
        DeepRecipe<?> recipe = DeepMethods.recipe("orthohash", 16, "mobilenetv2:block_10", SHAPE, 3)
                .set(Map.of("epochs", "1", "batch-size", "16", "backbone-lr-scale", "0.1"));
        try (DeepHashFunction f = recipe.train(x, labels(32), SHAPE, null, ProgressListener.NONE, null)) {
            ModelContents c = f.contents();
            assertEquals(Boolean.FALSE, c.config().get(DeepHashFunction.FROZEN_BACKBONE));
            assertTrue(c.arrays().size() > 100, "the fine-tuned backbone travels in the file: " + c.arrays().size() + " arrays");
            assertFalse(DeepHashFunction.pretrainedIn(f.block()).frozen());
            assertArrayEquals(f.encode(x, null).words(), reloaded(f, x, "tuned").words());
        }
    }
}
