package org.deephash4j.hash.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModels;
import org.deephash4j.nn.Backbones;
import org.deephash4j.util.ProgressListener;
import org.deephash4j.util.SeededRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WCH trains on both token backbones, saves, and a loaded copy encodes bit-exactly. */
class WchTest {

    static final ImageShape SHAPE = new ImageShape(1, 28, 28);

    static FeatureMatrix images(int n) {
        SeededRandom r = new SeededRandom(4);
        float[] x = new float[n * SHAPE.pixels()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        return new FeatureMatrix(n, SHAPE.pixels(), x);
    }

    @TempDir
    java.nio.file.Path dir;

    void trainsSavesAndReloadsBitExactly(String backbone) {
        trainsSavesAndReloadsBitExactly(backbone, Wch.Attention.PARAMETER_FREE, false, true, DeepHashFunction.HashLayer.BN_NO_AFFINE);
    }

    void trainsSavesAndReloadsBitExactly(String backbone, Wch.Attention attention, boolean attendedEncoding, boolean straightThrough,
            DeepHashFunction.HashLayer head) {
        FeatureMatrix x = images(64);
        Wch.Config d = Wch.Config.defaults(16, backbone, Augmentation.digits(), 3);
        Wch.Config c = new Wch.Config(16, backbone, new Training.Settings(1, 32, 1e-3f, 1f, 0f, Training.Optimiser.ADAM,
                Training.Schedule.CONSTANT, Augmentation.digits(), 3, true), head, straightThrough, d.attentionTemperature(), attention, true,
                attendedEncoding, d.similarity(), d.loss());
        double[] losses = new double[1];
        try (DeepHashFunction f = Wch.train(c, x, SHAPE, (epoch, loss, current) -> losses[0] = loss, ProgressListener.NONE, null)) {
            assertTrue(Double.isFinite(losses[0]) && losses[0] != 0, "loss " + losses[0]);
            BinaryCodes codes = f.encode(x, null);
            assertEquals("wch", f.method());
            assertEquals(head.id(), f.contents().config().get("hash_layer"));
            assertEquals(attendedEncoding ? "self-attention" : "mean of raw tokens", f.contents().config().get("encode_pooling"));
            assertEquals(straightThrough ? "sign, straight-through (tanh gradient)" : "tanh",
                    f.contents().config().get("codes_in_training"));
            java.nio.file.Path file = dir.resolve(backbone.replaceAll("[^A-Za-z0-9]", "_") + ".dhm");
            HashModels.save(file, f, java.util.Map.of("data", "synthetic"));
            HashFunction loaded = HashModels.load(file);
            assertArrayEquals(codes.words(), loaded.encode(x, null).words(), backbone + ": a loaded model encodes bit-exactly");
            ((AutoCloseable) loaded).close();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void trainsOnATorchScriptModulesFeatureGrid() {
        // a TorchScript backbone returning (N, D, H, W) maps: WCH reads them as patch tokens, trains, saves and reloads
        trainsSavesAndReloadsBitExactly("torchscript:" + TorchScriptBackboneTest.FIXTURE.resolve("tiny_grid.pt"));
    }

    @Test
    void trainsOnTheCnnPatchGrid() {
        trainsSavesAndReloadsBitExactly("cnn");
    }

    @Test
    void encodesWithSelfAttendedTokensWhenAsked() {
        trainsSavesAndReloadsBitExactly("cnn", Wch.Attention.PARAMETER_FREE, true, true, DeepHashFunction.HashLayer.BN_NO_AFFINE);
    }

    @Test
    void trainsWithLearnedAttentionWhoseWeightsStayOutOfTheEncoder() {
        trainsSavesAndReloadsBitExactly("cnn", Wch.Attention.LEARNED, false, true, DeepHashFunction.HashLayer.BN_NO_AFFINE);
    }

    @Test
    void trainsOnTanhCodesWhenAsked() {
        trainsSavesAndReloadsBitExactly("cnn", Wch.Attention.PARAMETER_FREE, false, false, DeepHashFunction.HashLayer.BN_NO_AFFINE);
    }

    @Test
    void trainsWithTheOfficialMlpHeadWhenAsked() {
        trainsSavesAndReloadsBitExactly("cnn", Wch.Attention.PARAMETER_FREE, false, true, DeepHashFunction.HashLayer.MLP_LN_BN);
    }

    @Test
    void refusesOrthoHashsAffineBatchNormHead() {
        Wch.Config d = Wch.Config.defaults(16, "cnn", Augmentation.digits(), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Wch.Config(16, "cnn", d.training(),
                DeepHashFunction.HashLayer.BN, true, d.attentionTemperature(), d.attention(), true, false, d.similarity(), d.loss()));
        assertTrue(e.getMessage().contains("bn"), e.getMessage());
    }

    @Test
    void trainsOnTheVitTokens() {
        trainsSavesAndReloadsBitExactly("vit");
    }

    @Test
    void backbonesWithoutPatchTokensAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backbones.tokens("mlp", Backbones.create("mlp")));
        assertTrue(e.getMessage().contains("no patch tokens"), e.getMessage());
    }
}
