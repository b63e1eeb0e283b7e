package org.deephash4j.hash.deep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.BenchmarkImages;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.ImageShape;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.augment.Augmentation;
import org.deephash4j.data.fetch.DatasetRepository;
import org.deephash4j.data.protocol.PerClassProtocol;
import org.deephash4j.data.protocol.Split;
import org.deephash4j.eval.EvalConfig;
import org.deephash4j.eval.RetrievalEvaluator;
import org.deephash4j.eval.RetrievalMetrics;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.classic.Lsh;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Short NSH, contrastive and WCH runs (a few epochs on 5,000 MNIST images) on a small real subset: clearly above LSH, bits
 * balanced. NSH and WCH are evaluated with their BatchNorm statistics re-estimated on the un-augmented training images
 * ({@code fit --recalibrate-bn}): with training's statistics, short runs of both sometimes leave the bits unbalanced
 * (imbalance 0.43-0.60) and fall below the threshold (NSH once, WCH twice in 19 runs; README, "Stability").
 */
@Tag("integration")
class UnsupervisedMnistIntegrationTest {

    static MultiHotLabels labels;
    static FeatureMatrix pixels;
    static Split split;
    static int[] dbSample;
    static ImageShape shape;
    static double lshMap;
    // 64 bits as the reference run: at 32 bits NSH from scratch learns far more slowly (README)
    static final int BITS = 64;
    // WCH learns more slowly per epoch than NSH (val:mnist-ref, README); 6 epochs of 5,000 images
    static final int WCH_EPOCHS = 6;

    @BeforeAll
    static void data() throws IOException {
        BenchmarkImages mnist = DatasetRepository.standard().load("mnist", ProgressListener.NONE);
        labels = mnist.images().labels();
        split = new PerClassProtocol("small", null, 20, true, 500, 1).split(labels, mnist.trainSize());
        pixels = mnist.images().pixelFeatures();
        shape = mnist.images().fixedShape().orElseThrow();
        int[] db = split.database();
        dbSample = new int[5000];
        for (int i = 0; i < dbSample.length; i++) {
            dbSample[i] = db[(int) ((long) i * db.length / dbSample.length)];
        }
        lshMap = evaluate(new Lsh().fit(pixels.rows(split.train()), BITS, 0)).mapAt(1000);
    }

    static RetrievalMetrics evaluate(HashFunction f) {
        BinaryCodes q = f.encode(pixels.rows(split.query()), null);
        BinaryCodes d = f.encode(pixels.rows(dbSample), null);
        return RetrievalEvaluator.evaluate(q, labels.subset(split.query()), d, labels.subset(dbSample), EvalConfig.mapOnly(1000, 0),
                ProgressListener.NONE);
    }

    static Training.Settings settings(int epochs) {
        Nsh.Config d = Nsh.Config.defaults(BITS, "cnn", Augmentation.digits(), 0);
        return d.training().with("epochs", epochs);
    }

    @Test
    void nshLearnsCodesClearlyBetterThanLsh() {
        Nsh.Config d = Nsh.Config.defaults(BITS, "cnn", Augmentation.digits(), 0);
        Nsh.Config c = new Nsh.Config(BITS, "cnn", settings(6), d.hashLayer(), d.latentDim(), d.loss());
        try (DeepHashFunction f = Nsh.train(c, pixels.rows(split.train()), shape, null, ProgressListener.NONE, null)) {
            assertEquals("re-estimated on 5000 un-augmented images", f.contents().config().get(DeepHashFunction.BN_STATISTICS),
                    "the defaults re-estimate the BatchNorm statistics");
            RetrievalMetrics m = evaluate(f);
            double imbalance = f.encode(pixels.rows(dbSample), null).bitImbalance();
            // on the full reference protocol NSH passes LSH after about 5 epochs of 5,000 images (README); here 6 x 5,000
            assertTrue(m.mapAt(1000) > lshMap + 0.05, "NSH mAP@1000 " + m.mapAt(1000) + " vs LSH " + lshMap + ", imbalance " + imbalance);
            System.out.printf("NSH 6 epochs: mAP@1000 %.4f, LSH %.4f, imbalance %.3f%n", m.mapAt(1000), lshMap, imbalance);
            assertTrue(imbalance < 0.2, "hash-BN with the training images' statistics balances the bits: " + imbalance);
        }
    }

    @Test
    void contrastiveBaselineLearnsToo() {
        ContrastiveHashing.Config d = ContrastiveHashing.Config.defaults(BITS, "cnn", Augmentation.digits(), 0);
        ContrastiveHashing.Config c = new ContrastiveHashing.Config(BITS, "cnn", settings(4), d.hashLayer(), d.temperature(),
                d.straightThrough(), d.quantisationWeight());
        try (DeepHashFunction f = ContrastiveHashing.train(c, pixels.rows(split.train()), shape, null, ProgressListener.NONE, null)) {
            RetrievalMetrics m = evaluate(f);
            assertTrue(m.mapAt(1000) > lshMap + 0.05, "contrastive mAP@1000 " + m.mapAt(1000) + " vs LSH " + lshMap);
        }
    }

    @Test
    void wchLearnsCodesClearlyBetterThanLsh() {
        Wch.Config d = Wch.Config.defaults(BITS, "cnn", Augmentation.digits(), 0);
        Wch.Config c = new Wch.Config(BITS, "cnn", d.training().with("epochs", WCH_EPOCHS), d.hashLayer(), d.straightThrough(),
                d.attentionTemperature(), d.attention(), d.weighted(), d.attendedEncoding(), d.similarity(), d.loss());
        try (DeepHashFunction f = Wch.train(c, pixels.rows(split.train()), shape, null, ProgressListener.NONE, null)) {
            assertEquals("re-estimated on 5000 un-augmented images", f.contents().config().get(DeepHashFunction.BN_STATISTICS),
                    "the defaults re-estimate the BatchNorm statistics");
            RetrievalMetrics m = evaluate(f);
            double imbalance = f.encode(pixels.rows(dbSample), null).bitImbalance();
            System.out.printf("WCH %d epochs: mAP@1000 %.4f, LSH %.4f, imbalance %.3f%n", WCH_EPOCHS, m.mapAt(1000), lshMap, imbalance);
            assertTrue(m.mapAt(1000) > lshMap + 0.05, "WCH mAP@1000 " + m.mapAt(1000) + " vs LSH " + lshMap + ", imbalance " + imbalance);
            assertTrue(imbalance < 0.2, "hash-BN with the training images' statistics balances the bits: " + imbalance);
        }
    }
}
