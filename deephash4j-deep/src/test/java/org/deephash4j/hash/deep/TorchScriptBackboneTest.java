package org.deephash4j.hash.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModels;
import org.deephash4j.hash.ModelContents;
import org.deephash4j.io.Npy;
import org.deephash4j.nn.Backbones;
import org.deephash4j.nn.TorchScriptBackbone;
import org.deephash4j.nn.loss.OrthoCosLoss;
import org.deephash4j.util.ProgressListener;
import org.deephash4j.util.SeededRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TorchScript backbone, on the fixture made by {@code fixtures/torchscript/make_fixture.py}: it
 * computes what PyTorch computed, is fine-tuned at its own learning-rate scale, and travels inside the
 * saved model.
 */
class TorchScriptBackboneTest {

    static final Path FIXTURE = Path.of("src/test/resources/fixtures/torchscript");
    static final ImageShape SHAPE = new ImageShape(1, 28, 28);

    @TempDir
    Path dir;

    @Test
    void runsTheModuleAsPyTorchDid() throws IOException {
        float[] x = Npy.read(FIXTURE.resolve("tiny_cnn_input.npy")).toFloatArray();
        float[] expected = Npy.read(FIXTURE.resolve("tiny_cnn_output.npy")).toFloatArray();
        Block b = Backbones.create("torchscript:" + FIXTURE.resolve("tiny_cnn.pt"));
        try (NDManager m = NDManager.newBaseManager()) {
            b.initialize(m, DataType.FLOAT32, new Shape(4, 1, 28, 28));
            NDArray in = m.create(FloatBuffer.wrap(x), new Shape(4, 1, 28, 28));
            NDArray y = b.forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow();
            assertEquals(new Shape(4, 16), y.getShape());
            assertArrayEquals(expected, y.toFloatArray(), 1e-5f);
            NDArray tokens = Backbones.tokens("torchscript:x", b).forward(new ParameterStore(m, false), new NDList(in), false)
                    .singletonOrThrow();
            assertEquals(new Shape(4, 16), tokens.getShape(), "the fixture pools inside the module, so its tokens are one per image");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("expected (N, D) features"), e.getMessage());
        }
    }

    @Test
    void poolsAGridModuleAndReadsItsPatchTokens() throws IOException {
        float[] x = Npy.read(FIXTURE.resolve("tiny_cnn_input.npy")).toFloatArray();
        float[] maps = Npy.read(FIXTURE.resolve("tiny_grid_output.npy")).toFloatArray();
        Block b = Backbones.create("torchscript:" + FIXTURE.resolve("tiny_grid.pt"));
        try (NDManager m = NDManager.newBaseManager()) {
            b.initialize(m, DataType.FLOAT32, new Shape(4, 1, 28, 28));
            NDArray in = m.create(FloatBuffer.wrap(x), new Shape(4, 1, 28, 28));
            NDArray pooled = b.forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow();
            assertEquals(new Shape(4, 16), pooled.getShape(), "an (N, 16, 14, 14) grid is average-pooled");
            float[] want = new float[4 * 16];
            for (int i = 0; i < 4 * 16; i++) {
                double sum = 0;
                for (int p = 0; p < 196; p++) {
                    sum += maps[i * 196 + p];
                }
                want[i] = (float) (sum / 196);
            }
            assertArrayEquals(want, pooled.toFloatArray(), 1e-5f);
            NDArray tokens = Backbones.tokens("torchscript:x", b).forward(new ParameterStore(m, false), new NDList(in), false)
                    .singletonOrThrow();
            assertEquals(new Shape(4, 196, 16), tokens.getShape(), "one token per grid cell");
            float[] t = tokens.toFloatArray();
            assertEquals(maps[(2 * 16 + 5) * 196 + 37], t[(2 * 196 + 37) * 16 + 5], 1e-5f, "token 37 of image 2, channel 5");
        }
    }

    /** 4 classes of images: a bright square in one quadrant, plus noise. */
    static FeatureMatrix quadrants(int n, int[] classes) {
        SeededRandom r = new SeededRandom(5);
        float[] v = new float[n * 784];
        for (int i = 0; i < n; i++) {
            int c = i % 4;
            classes[i] = c;
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                int col = p % 28;
                boolean inside = (row < 14) == (c < 2) && (col < 14) == (c % 2 == 0);
                v[i * 784 + p] = (float) ((inside ? 0.8 : 0.1) + 0.1 * r.nextDouble());
            }
        }
        return new FeatureMatrix(n, 784, v);
    }

    static OrthoHash.Config config(String backbone, float backboneScale) {
        OrthoHash.Config d = OrthoHash.Config.defaults(16, backbone, 3);
        return new OrthoHash.Config(16, backbone, new Training.Settings(10, 32, 1e-2f, backboneScale, 0f, Training.Optimiser.ADAM, Training.Schedule.STEP,
                org.deephash4j.data.augment.Augmentation.none(), 3, false), OrthoCosLoss.defaults(), d.targets());
    }

    /** A copy of the fixture module that a test may delete. */
    private Path fixtureCopy() throws IOException {
        Path copy = dir.resolve("tiny.pt");
        Files.copy(FIXTURE.resolve("tiny_cnn.pt"), copy);
        return copy;
    }

    static float[] moduleWeights(DeepHashFunction f) {
        return f.block().getChildren().get(0).getValue().getParameters().get(0).getValue().getArray().toFloatArray();
    }

    @Test
    void fineTunesAndTheSavedModelCarriesTheModule() throws IOException {
        Path copy = fixtureCopy();
        int[] cls = new int[128];
        FeatureMatrix x = quadrants(128, cls);
        float[] initial = moduleWeights(fromScratch(copy));
        try (DeepHashFunction f = OrthoHash.train(config("torchscript:" + copy, 0.1f), x, MultiHotLabels.ofClasses(cls, 4), SHAPE,
                null, ProgressListener.NONE)) {
            float[] tuned = moduleWeights(f);
            assertFalse(java.util.Arrays.equals(initial, tuned), "the module's weights are fine-tuned");
            BinaryCodes codes = f.encode(x, null);
            Path file = dir.resolve("ts.dhm");
            HashModels.save(file, f, Map.of());
            Files.delete(copy);
            ModelContents saved = HashModels.read(file);
            assertTrue(saved.sections().get(TorchScriptBackbone.SECTION).length > 1000, "the module is in the model file");
            assertTrue(saved.arrays().keySet().stream().noneMatch(k -> k.contains("conv1")), "module weights are not saved twice");
            HashFunction loaded = HashModels.load(file);
            assertEquals(codes, loaded.encode(x, null), "the loaded model encodes bit-exactly without the original file");
            double same = 0;
            double other = 0;
            for (int a = 0; a < 64; a++) {
                for (int b = 0; b < 64; b++) {
                    if (a != b) {
                        if (cls[a] == cls[b]) {
                            same += codes.distance(a, codes, b);
                        } else {
                            other += codes.distance(a, codes, b);
                        }
                    }
                }
            }
            assertTrue(same / (64 * 15) + 2 < other / (64 * 48), "classes separate: " + same / (64 * 15) + " vs " + other / (64 * 48));
        }
    }

    @Test
    void aZeroLearningRateScaleFreezesTheModule() throws IOException {
        Path copy = fixtureCopy();
        int[] cls = new int[64];
        FeatureMatrix x = quadrants(64, cls);
        float[] initial = moduleWeights(fromScratch(copy));
        try (DeepHashFunction f = OrthoHash.train(config("torchscript:" + copy, 0f), x, MultiHotLabels.ofClasses(cls, 4), SHAPE, null,
                ProgressListener.NONE)) {
            assertArrayEquals(initial, moduleWeights(f));
        }
    }

    /** How far a resumed run's weights may be from the uninterrupted run's. */
    static final float RESUME_TOLERANCE = 1e-4f;

    @Test
    void aResumedRunEndsWithTheSameWeights() throws IOException {
        Path copy = fixtureCopy();
        int[] cls = new int[64];
        FeatureMatrix x = quadrants(64, cls);
        MultiHotLabels y = MultiHotLabels.ofClasses(cls, 4);
        OrthoHash.Config c = config("torchscript:" + copy, 0.1f);
        java.util.List<float[]> uninterrupted = new java.util.ArrayList<>();
        float[] outputs;
        try (DeepHashFunction f = OrthoHash.train(c, x, y, SHAPE, null, ProgressListener.NONE)) {
            f.block().getParameters().forEach(p -> uninterrupted.add(p.getValue().getArray().toFloatArray()));
            outputs = f.continuousCodes(x);
        }
        Path ck = dir.resolve("run.ckpt");
        assertThrows(Training.Stopped.class, () -> OrthoHash.train(c, x, y, SHAPE, null, ProgressListener.NONE,
                new Training.Checkpoints(ck, 1, false, 5)));
        try (DeepHashFunction f = OrthoHash.train(c, x, y, SHAPE, null, ProgressListener.NONE, new Training.Checkpoints(ck, 1, true, 0))) {
            var resumed = f.block().getParameters();
            assertEquals(uninterrupted.size(), resumed.size());
            // Not bit-exact, unlike ResumeTest's DJL networks: two full-suite runs (one of them in CI, 2e-5 away)
            // ended off by a few 1e-5, never this class alone nor 40 resumes in a loop; likely the float
            // summation order inside the native module.
            // A resume that drops the Adam moments ends 5e-3 away (measured), fifty times the bound.
            for (int i = 0; i < resumed.size(); i++) {
                assertArrayEquals(uninterrupted.get(i), resumed.get(i).getValue().getArray().toFloatArray(), RESUME_TOLERANCE,
                        resumed.get(i).getKey());
            }
            // the module's BatchNorm statistics are buffers, not parameters: they come back with the module
            assertArrayEquals(outputs, f.continuousCodes(x), 1e-3f, "the encoder's outputs, which use the module's BatchNorm statistics");
        }
    }

    @Test
    void aReplacedModuleIsReplacedInTheTokenViewToo() throws IOException {
        TorchScriptBackbone grid = TorchScriptBackbone.fromSpec("torchscript:" + FIXTURE.resolve("tiny_grid.pt"));
        try (grid) {
            TorchScriptBackbone view = grid.tokens();
            grid.replaceModule(Files.readAllBytes(FIXTURE.resolve("tiny_grid.pt")), "a copy");
            var own = grid.getParameters();
            var viewed = view.getParameters();
            assertEquals(own.size(), viewed.size());
            for (int i = 0; i < own.size(); i++) {
                assertTrue(own.get(i).getValue() == viewed.get(i).getValue(), "the view shares the new module's " + own.get(i).getKey());
                assertEquals(own.get(i).getKey(), viewed.get(i).getKey());
            }
            assertEquals("01module_conv1.weight", own.get(0).getKey(), "the new module's parameters keep their names");
            assertThrows(IllegalStateException.class, () -> view.replaceModule(new byte[0], "x"));
        }
    }

    private static DeepHashFunction fromScratch(Path module) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = DeepHashFunction.network("torchscript:" + module, 16, DeepHashFunction.HashLayer.BN);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            return new DeepHashFunction("orthohash", 16, "torchscript:" + module, SHAPE, Map.of(), m, net, () -> { });
        }
    }

    @Test
    void aFileThatIsNotTorchScriptIsRefusedByName() throws IOException {
        Path bad = dir.resolve("notes.pt");
        Files.writeString(bad, "not a module");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backbones.create("torchscript:" + bad));
        assertTrue(e.getMessage().contains("notes.pt"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Backbones.create("torchscript:" + dir.resolve("missing.pt")));
        assertTrue(e.getMessage().contains("missing.pt"), e.getMessage());
    }
}
