package org.deephash4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.deephash4j.data.fetch.DataHome;
import org.deephash4j.data.fetch.PretrainedPackages;
import org.deephash4j.io.TfjsLayersModel;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java rebuild of nsfwjs's MobileNetV2 against TensorFlow.js's own outputs on four photos
 * (fixtures/mobilenetv2: the images and reference.json, made by the committed make_images.py and
 * make_reference.js): pooled features within 1e-4 relative, class probabilities within 1e-5, and every
 * photo "Neutral".
 */
@org.junit.jupiter.api.Tag("integration")
class MobileNetV2ParityTest {

    private static final String FIXTURES = "/fixtures/mobilenetv2/";
    private static JsonNode reference;
    private static float[] images;
    private static int count;

    @BeforeAll
    static void readFixtures() throws Exception {
        DeepEngine.get();
        try (InputStream in = MobileNetV2ParityTest.class.getResourceAsStream(FIXTURES + "reference.json")) {
            reference = new ObjectMapper().readTree(in);
        }
        count = reference.get("images").size();
        images = new float[count * 3 * 224 * 224];
        for (int i = 0; i < count; i++) {
            BufferedImage img;
            try (InputStream in = MobileNetV2ParityTest.class.getResourceAsStream(FIXTURES + reference.get("images").get(i).get("file")
                    .asText())) {
                img = ImageIO.read(in);
            }
            for (int y = 0; y < 224; y++) {
                for (int x = 0; x < 224; x++) {
                    int rgb = img.getRGB(x, y);
                    for (int c = 0; c < 3; c++) {
                        images[((i * 3 + c) * 224 + y) * 224 + x] = ((rgb >> (16 - 8 * c)) & 0xFF) / 255f;
                    }
                }
            }
        }
    }

    /** Relative error in the L-infinity sense: max |a - b| over max |b| (a feature vector's scale). */
    private static double relativeError(float[] actual, JsonNode expected) {
        assertEquals(expected.size(), actual.length);
        double maxDiff = 0;
        double scale = 0;
        for (int i = 0; i < actual.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected.get(i).asDouble()));
            scale = Math.max(scale, Math.abs(expected.get(i).asDouble()));
        }
        return maxDiff / scale;
    }

    /** The outputs of {@code block} for every image, one row each. */
    private static float[][] forward(ai.djl.nn.Block block) {
        try (NDManager m = NDManager.newBaseManager()) {
            block.initialize(m, DataType.FLOAT32, new Shape(1, 3, 224, 224));
            float[][] out = new float[count][];
            for (int i = 0; i < count; i++) {
                NDArray x = m.create(java.util.Arrays.copyOfRange(images, i * 3 * 224 * 224, (i + 1) * 3 * 224 * 224),
                        new Shape(1, 3, 224, 224));
                out[i] = block.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow().toFloatArray();
            }
            return out;
        }
    }

    @Test
    void pooledFeaturesMatchTensorFlowJs() {
        float[][] top = forward(PretrainedBackbone.create("mobilenetv2"));
        float[][] block10 = forward(PretrainedBackbone.create("mobilenetv2:block_10"));
        for (int i = 0; i < count; i++) {
            JsonNode r = reference.get("images").get(i);
            double e = relativeError(top[i], r.get("features"));
            System.out.printf("%s: features %.2e, block_10 %.2e%n", r.get("file").asText(), e, relativeError(block10[i], r.get("block_10")));
            assertTrue(e < 1e-4, r.get("file") + ": pooled features differ by " + e + " (relative)");
            double e10 = relativeError(block10[i], r.get("block_10"));
            assertTrue(e10 < 1e-4, r.get("file") + ": block_10 features differ by " + e10 + " (relative)");
        }
    }

    @Test
    void frozenExtractionWithFoldedBatchNormMatchesToo() {
        org.deephash4j.data.FeatureMatrix x = new org.deephash4j.data.FeatureMatrix(count, 3 * 224 * 224, images);
        org.deephash4j.data.FeatureMatrix f = PretrainedBackbone.features("mobilenetv2", x, new org.deephash4j.data.ImageShape(3, 224, 224),
                ProgressListener.NONE);
        for (int i = 0; i < count; i++) {
            JsonNode r = reference.get("images").get(i);
            float[] row = java.util.Arrays.copyOfRange(f.values(), i * 1280, (i + 1) * 1280);
            double e = relativeError(row, r.get("features"));
            assertTrue(e < 1e-4, r.get("file") + ": frozen features differ by " + e);
        }
    }

    @Test
    void blockTenTokensAreTheMapCells() {
        PretrainedBackbone tokens = PretrainedBackbone.create("mobilenetv2:block_10").tokens();
        JsonNode r = reference.get("images").get(1);
        float[] t = forward(tokens)[1];
        assertEquals(196 * 96, t.length, "14 x 14 tokens of 96");
        float[] firstTwo = java.util.Arrays.copyOf(t, 2 * 96);
        assertTrue(relativeError(firstTwo, r.get("block_10_cells")) < 1e-4);
    }

    @Test
    void classProbabilitiesMatchAndPhotosAreNeutral() throws Exception {
        Path dir = PretrainedPackages.ensure("mobilenetv2", DataHome.resolve(), ProgressListener.NONE);
        KerasNetwork classifier = KerasNetwork.build(TfjsLayersModel.read(dir), "dense_3");
        try (NDManager m = NDManager.newBaseManager()) {
            classifier.initialize(m, DataType.FLOAT32, new Shape(count, 3, 224, 224));
            classifier.loadWeights(TfjsLayersModel.read(dir).weights());
            float[] p = classifier.forward(new ParameterStore(m, false), new NDList(m.create(images, new Shape(count, 3, 224, 224))), false)
                    .singletonOrThrow().toFloatArray();
            for (int i = 0; i < count; i++) {
                JsonNode r = reference.get("images").get(i);
                int best = 0;
                for (int k = 0; k < 5; k++) {
                    double expected = r.get("probabilities").get(k).asDouble();
                    assertEquals(expected, p[i * 5 + k], 1e-5, r.get("file") + " class " + k);
                    best = p[i * 5 + k] > p[i * 5 + best] ? k : best;
                }
                assertEquals("Neutral", reference.get("classes").get(best).asText(), r.get("file").asText());
            }
        }
    }
}
