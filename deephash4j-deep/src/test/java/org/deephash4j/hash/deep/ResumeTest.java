package org.deephash4j.hash.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.hash.ModelContents;
import org.deephash4j.nn.loss.OrthoCosLoss;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped mid-epoch and resumed from its checkpoint ends with the same weights as one that never stopped. */
class ResumeTest {

    @TempDir
    Path dir;

    static final ImageShape SHAPE = new ImageShape(1, 1, 16);

    static OrthoHash.Config config(int seed) {
        return new OrthoHash.Config(16, "mlp", new Training.Settings(3, 32, 1e-3f, 0.5f, 5e-4f, Training.Optimiser.ADAM, Training.Schedule.STEP,
                org.deephash4j.data.augment.Augmentation.none(), seed, false), OrthoCosLoss.defaults(), TargetCodes.Kind.BERNOULLI);
    }

    @Test
    void resumedRunEqualsUninterruptedRunExactly() {
        int[] cls = new int[160];
        FeatureMatrix x = OrthoHashTest.features(160, 8, cls);
        MultiHotLabels y = MultiHotLabels.ofClasses(cls, 4);
        Map<String, double[]> uninterrupted;
        try (DeepHashFunction f = OrthoHash.train(config(1), x, y, SHAPE, null, ProgressListener.NONE)) {
            uninterrupted = f.contents().arrays();
        }
        Path ck = dir.resolve("run.ckpt");
        // 5 steps per epoch: stop after 7 steps, in the middle of epoch 2, as a kill would
        Training.Stopped stopped = assertThrows(Training.Stopped.class, () -> OrthoHash.train(config(1), x, y,
                SHAPE, null, ProgressListener.NONE, new Training.Checkpoints(ck, 1, false, 7)));
        assertEquals(ck, stopped.checkpoint());
        assertTrue(Files.exists(ck));
        Map<String, double[]> resumed;
        try (DeepHashFunction f = OrthoHash.train(config(1), x, y, SHAPE, null, ProgressListener.NONE,
                new Training.Checkpoints(ck, 1, true, 0))) {
            resumed = f.contents().arrays();
        }
        assertEquals(uninterrupted.keySet(), resumed.keySet());
        for (String name : uninterrupted.keySet()) {
            assertArrayEquals(uninterrupted.get(name), resumed.get(name), 0.0, name);
        }
    }

    @Test
    void checkpointOfAnotherRunIsRefused() {
        int[] cls = new int[96];
        FeatureMatrix x = OrthoHashTest.features(96, 9, cls);
        MultiHotLabels y = MultiHotLabels.ofClasses(cls, 4);
        Path ck = dir.resolve("other.ckpt");
        assertThrows(Training.Stopped.class, () -> OrthoHash.train(config(1), x, y, SHAPE, null, ProgressListener.NONE,
                new Training.Checkpoints(ck, 0, false, 2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OrthoHash.train(config(2), x, y, SHAPE, null,
                ProgressListener.NONE, new Training.Checkpoints(ck, 0, true, 0)));
        assertTrue(e.getMessage().contains("written by another run"), e.getMessage());
    }

    @Test
    void checkpointsAreModelFilesWithTheOptimiserState() throws Exception {
        int[] cls = new int[96];
        FeatureMatrix x = OrthoHashTest.features(96, 10, cls);
        MultiHotLabels y = MultiHotLabels.ofClasses(cls, 4);
        Path ck = dir.resolve("state.ckpt");
        assertThrows(Training.Stopped.class, () -> OrthoHash.train(config(1), x, y, SHAPE, null, ProgressListener.NONE,
                new Training.Checkpoints(ck, 0, false, 4)));
        ModelContents c = org.deephash4j.hash.HashModels.read(ck);
        assertEquals("orthohash-checkpoint", c.method());
        assertTrue(c.arrays().keySet().stream().anyMatch(k -> k.startsWith("adam.m/")));
        assertEquals(2, ((Number) c.config().get("epoch")).intValue());
        assertEquals(1, ((Number) c.config().get("step")).intValue());
    }
}
