package org.deephash4j.hash.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.nn.loss.OrthoCosLoss;
import org.deephash4j.util.ProgressListener;
import org.deephash4j.util.SeededRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optimiser, schedule and backbone options. */
class TrainingOptionsTest {

    @TempDir
    Path dir;

    @Test
    void scheduleRates() {
        assertEquals(0.1f, Training.Schedule.STEP.rate(0.1f, 8, 10), 1e-9);
        assertEquals(0.01f, Training.Schedule.STEP.rate(0.1f, 9, 10), 1e-9);
        assertEquals(0.1f, Training.Schedule.COSINE.rate(0.1f, 1, 10), 1e-9);
        assertEquals(0.05f, Training.Schedule.COSINE.rate(0.1f, 6, 10), 1e-7);
        assertTrue(Training.Schedule.COSINE.rate(0.1f, 10, 10) < 0.003f);
    }

    static OrthoHash.Config sgd(int epochs) {
        return new OrthoHash.Config(16, "mlp", new Training.Settings(epochs, 32, 0.05f, 1f, 5e-4f, Training.Optimiser.SGD, Training.Schedule.COSINE,
                org.deephash4j.data.augment.Augmentation.none(), 3, false), OrthoCosLoss.defaults(), TargetCodes.Kind.BERNOULLI);
    }

    @Test
    void sgdWithCosineScheduleLearnsAndResumesExactly() {
        int[] cls = new int[160];
        FeatureMatrix x = OrthoHashTest.features(160, 11, cls);
        MultiHotLabels y = MultiHotLabels.ofClasses(cls, 4);
        double[] losses = new double[2];
        Map<String, double[]> straight;
        try (DeepHashFunction f = OrthoHash.train(sgd(4), x, y, ResumeTest.SHAPE, (e, l, cur) -> losses[e == 1 ? 0 : 1] = l,
                ProgressListener.NONE)) {
            straight = f.contents().arrays();
        }
        assertTrue(losses[1] < 0.8 * losses[0], "loss falls with SGD: " + losses[0] + " -> " + losses[1]);
        Path ck = dir.resolve("sgd.ckpt");
        assertThrows(Training.Stopped.class, () -> OrthoHash.train(sgd(4), x, y, ResumeTest.SHAPE, null, ProgressListener.NONE,
                new Training.Checkpoints(ck, 0, false, 8)));
        try (DeepHashFunction f = OrthoHash.train(sgd(4), x, y, ResumeTest.SHAPE, null, ProgressListener.NONE,
                new Training.Checkpoints(ck, 0, true, 0))) {
            Map<String, double[]> resumed = f.contents().arrays();
            for (String k : straight.keySet()) {
                assertArrayEquals(straight.get(k), resumed.get(k), 0.0, k);
            }
        }
    }

    @Test
    void resnetBackboneTrainsAndEncodesGreyAndColourImages() {
        for (ImageShape shape : new ImageShape[] {new ImageShape(1, 28, 28), new ImageShape(3, 32, 32)}) {
            SeededRandom r = new SeededRandom(1);
            float[] v = new float[32 * shape.pixels()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextDouble();
            }
            int[] cls = new int[32];
            for (int i = 0; i < 32; i++) {
                cls[i] = i % 2;
            }
            OrthoHash.Config c = new OrthoHash.Config(16, "resnet", new Training.Settings(1, 16, 1e-3f, 1f, 5e-4f, Training.Optimiser.ADAM, Training.Schedule.STEP,
                org.deephash4j.data.augment.Augmentation.none(), 0, false), OrthoCosLoss.defaults(), TargetCodes.Kind.BERNOULLI);
            FeatureMatrix x = new FeatureMatrix(32, shape.pixels(), v);
            try (DeepHashFunction f = OrthoHash.train(c, x, MultiHotLabels.ofClasses(cls, 2), shape, null, ProgressListener.NONE)) {
                BinaryCodes codes = f.encode(x, null);
                assertEquals(32, codes.size());
                assertEquals(16, codes.bits());
            }
        }
    }

    @Test
    void augmentedTrainingIsReproducibleAndResumesExactly() {
        ImageShape shape = new ImageShape(1, 12, 12);
        SeededRandom r = new SeededRandom(4);
        float[] v = new float[96 * shape.pixels()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble();
        }
        int[] cls = new int[96];
        for (int i = 0; i < 96; i++) {
            cls[i] = i % 3;
        }
        FeatureMatrix x = new FeatureMatrix(96, shape.pixels(), v);
        MultiHotLabels y = MultiHotLabels.ofClasses(cls, 3);
        OrthoHash.Config c = new OrthoHash.Config(16, "cnn", new Training.Settings(3, 16, 1e-3f, 1f, 5e-4f, Training.Optimiser.ADAM, Training.Schedule.COSINE,
                org.deephash4j.data.augment.Augmentation.digits(), 2, false), OrthoCosLoss.defaults(), TargetCodes.Kind.BERNOULLI);
        Map<String, double[]> straight;
        try (DeepHashFunction f = OrthoHash.train(c, x, y, shape, null, ProgressListener.NONE)) {
            straight = f.contents().arrays();
        }
        try (DeepHashFunction f = OrthoHash.train(c, x, y, shape, null, ProgressListener.NONE)) {
            assertArrayEquals(straight.get("02Linear_weight"), f.contents().arrays().get("02Linear_weight"), 0.0, "reproducible");
        }
        Path ck = dir.resolve("aug.ckpt");
        assertThrows(Training.Stopped.class, () -> OrthoHash.train(c, x, y, shape, null, ProgressListener.NONE,
                new Training.Checkpoints(ck, 0, false, 9)));
        try (DeepHashFunction f = OrthoHash.train(c, x, y, shape, null, ProgressListener.NONE, new Training.Checkpoints(ck, 0, true, 0))) {
            Map<String, double[]> resumed = f.contents().arrays();
            for (String k : straight.keySet()) {
                assertArrayEquals(straight.get(k), resumed.get(k), 0.0, k);
            }
        }
        OrthoHash.Config plain = new OrthoHash.Config(16, "cnn", new Training.Settings(3, 16, 1e-3f, 1f, 5e-4f, Training.Optimiser.ADAM, Training.Schedule.COSINE,
                org.deephash4j.data.augment.Augmentation.none(), 2, false), OrthoCosLoss.defaults(), TargetCodes.Kind.BERNOULLI);
        try (DeepHashFunction f = OrthoHash.train(plain, x, y, shape, null, ProgressListener.NONE)) {
            assertTrue(!java.util.Arrays.equals(straight.get("02Linear_weight"), f.contents().arrays().get("02Linear_weight")),
                    "augmentation changes what is learnt");
        }
    }

    @Test
    void nativeHandlesDoNotGrowOverARun() {
        int[] cls = new int[160];
        FeatureMatrix x = OrthoHashTest.features(160, 12, cls);
        MultiHotLabels y = MultiHotLabels.ofClasses(cls, 4);
        java.util.List<Integer> handles = new java.util.ArrayList<>();
        OrthoHash.train(ResumeTest.config(1), x, y, ResumeTest.SHAPE, (epoch, loss, current) -> handles.add(
                current.block().getParameters().get(0).getValue().getArray().getManager().getManagedArrays().size()),
                ProgressListener.NONE).close();
        // 5 steps an epoch: a handle per gradient per step left behind would add dozens an epoch
        assertEquals(3, handles.size());
        assertEquals(handles.get(0), handles.get(2), "arrays in the model's manager after each epoch: " + handles);
    }
}
