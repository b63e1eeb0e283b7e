package org.deephash4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.BitOrder;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.api.Test;

class RetrievalEvaluatorTest {

    static BinaryCodes bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return BinaryCodes.fromPackedBytes(b, 8, BitOrder.BIG, null);
    }

    /**
     * Database distances to the query code 0x00 are [2, 0, 1, 1, 3] with labels [A, B, A, B, A]; the
     * ranking by (distance, position) is 1, 2, 3, 0, 4 with relevance 0, 1, 0, 1, 1 for a query of class A.
     */
    @Test
    void handComputedValuesWithTiesAndAQueryWithoutRelevantItems() {
        BinaryCodes db = bytes(0x03, 0x00, 0x01, 0x02, 0x07);
        MultiHotLabels dbLabels = MultiHotLabels.ofClasses(new int[] {0, 1, 0, 1, 0}, 3);
        BinaryCodes q = bytes(0x00, 0x00);
        MultiHotLabels qLabels = MultiHotLabels.ofClasses(new int[] {0, 2}, 3);
        RetrievalEvaluator.Result r = RetrievalEvaluator.evaluate(q, qLabels, db, dbLabels, new int[] {1, 2, 0, 10},
                ProgressListener.NONE);
        double apAll = (1.0 / 2 + 2.0 / 4 + 3.0 / 5) / 3;
        assertEquals(apAll / 2, r.mapAt(0), 1e-15, "mAP@all: the second query counts 0");
        assertEquals(apAll / 2, r.mapAt(10), 1e-15, "K beyond the database is all of it");
        assertEquals(0.5 / 2, r.mapAt(2), 1e-15);
        assertEquals(0.0, r.mapAt(1), 1e-15);
        assertEquals((1.0 / 2) / 2, r.precisionAt(2), 1e-15);
        assertEquals((3.0 / 5) / 2, r.precisionAt(10), 1e-15);
        assertEquals((1.0 / 3) / 2, r.recallAt(2), 1e-15);
        assertEquals(0.5, r.recallAt(0), 1e-15);
    }

    @Test
    void tiesAreBrokenByDatabasePosition() {
        // Same distances, but the relevant tied item now comes later in the database.
        BinaryCodes db = bytes(0x03, 0x00, 0x01, 0x02, 0x07);
        MultiHotLabels dbLabels = MultiHotLabels.ofClasses(new int[] {0, 1, 1, 0, 0}, 2);
        RetrievalEvaluator.Result r = RetrievalEvaluator.evaluate(bytes(0x00), MultiHotLabels.ofClasses(new int[] {0}, 2), db,
                dbLabels, new int[] {0}, ProgressListener.NONE);
        assertEquals((1.0 / 3 + 2.0 / 4 + 3.0 / 5) / 3, r.mapAt(0), 1e-15);
    }

    @Test
    void multiLabelRelevanceIsAnySharedLabel() {
        MultiHotLabels.Builder dbb = new MultiHotLabels.Builder(3, 70);
        dbb.add(0, 3);
        dbb.add(1, 65).add(1, 2);
        dbb.add(2, 69);
        MultiHotLabels.Builder qb = new MultiHotLabels.Builder(1, 70);
        qb.add(0, 65).add(0, 69);
        RetrievalEvaluator.Result r = RetrievalEvaluator.evaluate(bytes(0x00), qb.build(), bytes(0x00, 0x01, 0x03), dbb.build(),
                new int[] {0}, ProgressListener.NONE);
        assertEquals((1.0 / 2 + 2.0 / 3) / 2, r.mapAt(0), 1e-15);
    }

    @Test
    void matchesABruteForceFullSortOnRandomCodes() {
        Random rnd = new Random(3);
        int n = 500;
        int nq = 20;
        byte[] dbBytes = new byte[n * 2];
        byte[] qBytes = new byte[nq * 2];
        rnd.nextBytes(dbBytes);
        rnd.nextBytes(qBytes);
        BinaryCodes db = BinaryCodes.fromPackedBytes(dbBytes, 16, BitOrder.BIG, null);
        BinaryCodes q = BinaryCodes.fromPackedBytes(qBytes, 16, BitOrder.BIG, null);
        int[] dbClass = new int[n];
        int[] qClass = new int[nq];
        for (int i = 0; i < n; i++) {
            dbClass[i] = rnd.nextInt(4);
        }
        for (int i = 0; i < nq; i++) {
            qClass[i] = rnd.nextInt(4);
        }
        int k = 50;
        double expected = 0;
        for (int qi = 0; qi < nq; qi++) {
            final int fq = qi;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> {
                int c = Integer.compare(q.distance(fq, db, a), q.distance(fq, db, b));
                return c != 0 ? c : Integer.compare(a, b);
            });
            double sum = 0;
            int found = 0;
            for (int pos = 0; pos < k; pos++) {
                if (dbClass[order[pos]] == qClass[qi]) {
                    found++;
                    sum += (double) found / (pos + 1);
                }
            }
            expected += found == 0 ? 0 : sum / found;
        }
        expected /= nq;
        RetrievalEvaluator.Result r = RetrievalEvaluator.evaluate(q, MultiHotLabels.ofClasses(qClass, 4), db,
                MultiHotLabels.ofClasses(dbClass, 4), new int[] {k}, ProgressListener.NONE);
        assertEquals(expected, r.mapAt(k), 1e-12);
    }

    @Test
    void mismatchedInputsAreRefused() {
        MultiHotLabels one = MultiHotLabels.ofClasses(new int[] {0}, 2);
        BinaryCodes c16 = BinaryCodes.fromPackedBytes(new byte[2], 16, BitOrder.BIG, null);
        assertThrows(IllegalArgumentException.class,
                () -> RetrievalEvaluator.evaluate(bytes(0), one, c16, one, new int[] {0}, ProgressListener.NONE));
        assertThrows(IllegalArgumentException.class,
                () -> RetrievalEvaluator.evaluate(bytes(0), one, bytes(0, 1), one, new int[] {0}, ProgressListener.NONE));
        assertThrows(IllegalArgumentException.class,
                () -> RetrievalEvaluator.evaluate(bytes(0), one, bytes(0), one, new int[] {-1}, ProgressListener.NONE));
    }
}
