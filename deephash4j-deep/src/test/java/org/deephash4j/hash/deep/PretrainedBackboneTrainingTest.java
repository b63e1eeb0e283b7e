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

    @Test
    void theTopBlocksFineTuneAloneAndTheFileKeepsOnlyThem() throws Exception {
        FeatureMatrix x = images(32);
        DeepRecipe<?> recipe = DeepMethods.recipe("orthohash", 16, "mobilenetv2:block_10", SHAPE, 4)
                .set(Map.of("epochs", "2", "batch-size", "16", "backbone-lr-scale", "0.5", "backbone-trainable", "block_9"));
        try (DeepHashFunction f = recipe.train(x, labels(32), SHAPE, null, ProgressListener.NONE, null)) {
            org.deephash4j.nn.PretrainedBackbone backbone = DeepHashFunction.pretrainedIn(f.block());
            assertFalse(backbone.frozen());
            assertEquals("block_9", backbone.trainableFrom());
            ModelContents c = f.contents();
            assertEquals("block_9", c.config().get(DeepHashFunction.TRAINABLE_FROM));
            long top = c.arrays().keySet().stream().filter(k -> k.contains("block_9_") || k.contains("block_10_")).count();
            assertEquals(30, top, "blocks 9 and 10 (3 convolutions and 3 BatchNorms of 4 arrays each) travel in the file: " + c.arrays().keySet());
            assertTrue(c.arrays().keySet().stream().noneMatch(k -> k.contains("block_8_") || k.contains("Conv1")),
                    "the frozen part is not in the file: " + c.arrays().keySet());
            // the frozen part keeps the published weights; the trained part moved away from them
            org.deephash4j.nn.PretrainedBackbone published = org.deephash4j.nn.PretrainedBackbone.create("mobilenetv2:block_10");
            try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
                published.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 3, 32, 32));
                assertArrayEquals(weight(published, "block_8_expand_"), weight(backbone, "block_8_expand_"));
                assertFalse(java.util.Arrays.equals(weight(published, "block_9_expand_"), weight(backbone, "block_9_expand_")));
            }
            assertArrayEquals(f.encode(x, null).words(), reloaded(f, x, "top").words(), "rebuilt from the package and the file");
        }
    }

    private static float[] weight(ai.djl.nn.Block block, String layer) {
        return block.getParameters().stream().filter(p -> p.getKey().contains(layer) && p.getKey().endsWith("weight")).findFirst()
                .orElseThrow(() -> new AssertionError("no weight of " + layer)).getValue().getArray().toFloatArray();
    }

    @Test
    void aTrainablePartIsRefusedWhereItCannotTrain() {
        FeatureMatrix x = images(16);
        java.util.function.Function<Map<String, String>, String> refusal = settings -> org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> DeepMethods.recipe("orthohash", 16, settings.getOrDefault("backbone", "mobilenetv2:block_10"),
                        SHAPE, 4).set(withoutBackbone(settings)).train(x, labels(16), SHAPE, null, ProgressListener.NONE, null).close())
                .getMessage();
        assertTrue(refusal.apply(Map.of("backbone-trainable", "block_9")).contains("--backbone-lr-scale"));
        assertTrue(refusal.apply(Map.of("backbone-trainable", "block_11", "backbone-lr-scale", "0.1")).contains("block_2 .. block_10"));
        assertTrue(refusal.apply(Map.of("backbone-trainable", "block_3", "backbone-lr-scale", "0.1", "backbone", "mlp"))
                .contains("needs a pretrained backbone"));
    }

    private static Map<String, String> withoutBackbone(Map<String, String> settings) {
        Map<String, String> s = new java.util.HashMap<>(settings);
        s.remove("backbone");
        s.put("epochs", "1");
        s.put("batch-size", "8");
        return s;
    }

    @Test
    void thePublishedBatchNormsAverageWithTheMomentumTheReEstimateCorrectsFor() {
        // two training passes over one batch from running mean 0 give (1 - m) mu, then (1 - m) mu (1 + m): m is their ratio less 1
        org.deephash4j.nn.PretrainedBackbone b = org.deephash4j.nn.PretrainedBackbone.create("mobilenetv2:block_1");
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(4, 3, 32, 32);
            b.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, shape);
            ai.djl.ndarray.NDArray running = b.getParameters().stream().filter(p -> p.getKey().contains("bn_Conv1")
                    && p.getKey().endsWith("runningMean")).findFirst().orElseThrow().getValue().getArray();
            running.muli(0);
            ai.djl.ndarray.NDList in = new ai.djl.ndarray.NDList(m.create(images(4).values(), shape));
            ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
            b.forward(ps, in, true);
            float[] first = running.toFloatArray();
            b.forward(ps, in, true);
            float[] second = running.toFloatArray();
            int checked = 0;
            for (int c = 0; c < first.length; c++) {
                if (Math.abs(first[c]) > 1e-3) {
                    assertEquals(DeepHashFunction.BATCH_NORM_MOMENTUM, second[c] / first[c] - 1, 1e-3, "channel " + c);
                    checked++;
                }
            }
            assertTrue(checked > 8, checked + " channels checked");
        }
    }
}
