package org.deephash4j.hash.deep;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.BenchmarkImages;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.fetch.DatasetRepository;
import org.deephash4j.data.protocol.PerClassProtocol;
import org.deephash4j.data.protocol.Split;
import org.deephash4j.eval.EvalConfig;
import org.deephash4j.eval.RetrievalEvaluator;
import org.deephash4j.eval.RetrievalMetrics;
import org.deephash4j.nn.loss.OrthoCosLoss;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A short OrthoHash run on a small real MNIST subset: far above chance after a few epochs. */
@Tag("integration")
class OrthoHashMnistIntegrationTest {

    @Test
    void shortTrainingOnRealMnistRetrievesFarAboveChance() throws IOException {
        BenchmarkImages mnist = DatasetRepository.standard().load("mnist", ProgressListener.NONE);
        MultiHotLabels labels = mnist.images().labels();
        Split split = new PerClassProtocol("small", null, 20, true, 100, 1).split(labels, mnist.trainSize());
        FeatureMatrix pixels = mnist.images().pixelFeatures();
        int[] db = Arrays.copyOf(split.database(), split.database().length);
        int[] dbSample = new int[5000];
        for (int i = 0; i < dbSample.length; i++) {
            dbSample[i] = db[(int) ((long) i * db.length / dbSample.length)];
        }
        OrthoHash.Config c = new OrthoHash.Config(32, "cnn", new Training.Settings(4, 50, 1e-3f, 1f, 5e-4f, Training.Optimiser.ADAM, Training.Schedule.STEP,
                org.deephash4j.data.augment.Augmentation.none(), 0, false), OrthoCosLoss.defaults(), TargetCodes.Kind.BERNOULLI);
        try (DeepHashFunction f = OrthoHash.train(c, pixels.rows(split.train()), labels.subset(split.train()),
                mnist.images().fixedShape().orElseThrow(), null, ProgressListener.NONE)) {
            BinaryCodes q = f.encode(pixels.rows(split.query()), null);
            BinaryCodes d = f.encode(pixels.rows(dbSample), null);
            RetrievalMetrics m = RetrievalEvaluator.evaluate(q, labels.subset(split.query()), d, labels.subset(dbSample),
                    EvalConfig.mapOnly(100, 0), ProgressListener.NONE);
            // chance is about 0.10; measured here: mAP@100 0.888, mAP@all 0.780, imbalance 0.155
            assertTrue(m.mapAt(100) > 0.75, "mAP@100 " + m.mapAt(100));
            assertTrue(m.mapAt(0) > 0.6, "mAP@all " + m.mapAt(0));
            assertTrue(d.bitImbalance() < 0.3, "BatchNorm keeps the bits balanced: " + d.bitImbalance());
        }
    }
}
