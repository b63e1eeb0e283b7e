package org.deephash4j.hash.deep;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.eval.EvalConfig;
import org.deephash4j.eval.RetrievalEvaluator;
import org.deephash4j.nn.loss.OrthoCosLoss;
import org.deephash4j.util.ProgressListener;
import org.deephash4j.util.SeededRandom;
import org.junit.jupiter.api.Test;

/**
 * On multi-label data, OrthoHash's label smoothing (every positive label a target) retrieves better than
 * the single-label shortcut (training on the first positive label only, the reference code's COCO bug).
 */
class MultiLabelSmoothingTest {

    static final int CLASSES = 6;
    static final int DIM = 24;

    /** Items with 1 to 3 labels; features are the sum of their labels' centres plus noise. */
    static MultiHotLabels generate(int n, long seed, float[] featuresOut) {
        SeededRandom r = new SeededRandom(seed);
        SeededRandom cr = new SeededRandom(17);
        float[][] centres = new float[CLASSES][DIM];
        for (float[] c : centres) {
            for (int j = 0; j < DIM; j++) {
                c[j] = (float) (cr.nextGaussian() * 1.5);
            }
        }
        MultiHotLabels.Builder b = new MultiHotLabels.Builder(n, CLASSES);
        for (int i = 0; i < n; i++) {
            int labels = 1 + r.nextInt(3);
            boolean[] has = new boolean[CLASSES];
            for (int l = 0; l < labels; l++) {
                has[r.nextInt(CLASSES)] = true;
            }
            for (int c = 0; c < CLASSES; c++) {
                if (has[c]) {
                    b.add(i, c);
                    for (int j = 0; j < DIM; j++) {
                        featuresOut[i * DIM + j] += centres[c][j];
                    }
                }
            }
            for (int j = 0; j < DIM; j++) {
                featuresOut[i * DIM + j] += (float) (r.nextGaussian() * 0.7);
            }
        }
        return b.build();
    }

    /** Keeps only each item's first label. */
    static MultiHotLabels firstLabelOnly(MultiHotLabels y) {
        int[] first = new int[y.size()];
        for (int i = 0; i < y.size(); i++) {
            first[i] = y.classesOf(i)[0];
        }
        return MultiHotLabels.ofClasses(first, y.numClasses());
    }

    @Test
    void labelSmoothingBeatsTheSingleLabelShortcut() {
        float[] trainX = new float[600 * DIM];
        MultiHotLabels trainY = generate(600, 1, trainX);
        float[] testX = new float[400 * DIM];
        MultiHotLabels testY = generate(400, 2, testX);
        FeatureMatrix train = new FeatureMatrix(600, DIM, trainX);
        FeatureMatrix test = new FeatureMatrix(400, DIM, testX);
        OrthoHash.Config c = new OrthoHash.Config(32, "mlp", new Training.Settings(10, 32, 1e-3f, 1f, 5e-4f, Training.Optimiser.ADAM, Training.Schedule.STEP,
                org.deephash4j.data.augment.Augmentation.none(), 5, false), OrthoCosLoss.defaults(), TargetCodes.Kind.BERNOULLI);
        double smoothing = map(c, train, trainY, test, testY);
        double shortcut = map(c, train, firstLabelOnly(trainY), test, testY);
        // measured: 0.958 with label smoothing, 0.778 with the shortcut
        assertTrue(smoothing > shortcut + 0.05, "label smoothing mAP " + smoothing + " vs first-label shortcut " + shortcut);
    }

    /** mAP@all of the test items queried against each other (multi-label relevance: a shared label). */
    private static double map(OrthoHash.Config c, FeatureMatrix train, MultiHotLabels y, FeatureMatrix test, MultiHotLabels testY) {
        try (DeepHashFunction f = OrthoHash.train(c, train, y, new ImageShape(1, 1, DIM), null, ProgressListener.NONE)) {
            BinaryCodes codes = f.encode(test, null);
            int[] q = java.util.stream.IntStream.range(0, 100).toArray();
            int[] db = java.util.stream.IntStream.range(100, 400).toArray();
            return RetrievalEvaluator.evaluate(codes.subset(q), testY.subset(q), codes.subset(db), testY.subset(db),
                    EvalConfig.mapOnly(0), ProgressListener.NONE).mapAt(0);
        }
    }
}
