package org.deephash4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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

    static RetrievalMetrics eval(BinaryCodes q, MultiHotLabels ql, BinaryCodes db, MultiHotLabels dbl, EvalConfig c) {
        return RetrievalEvaluator.evaluate(q, ql, db, dbl, c, ProgressListener.NONE);
    }

    static EvalConfig config(int[] mapK, int[] precK) {
        return new EvalConfig(mapK, precK, AllConvention.FULL, ZeroRelevantRule.COUNT_AS_ZERO, 2, true);
    }

    // Database distances to the query code 0x00 are [2, 0, 1, 1, 3] with labels [A, B, A, B, A]; the
    // ranking by (distance, position) is 1, 2, 3, 0, 4 with relevance 0, 1, 0, 1, 1 for a class-A query.
    static final BinaryCodes DB = bytes(0x03, 0x00, 0x01, 0x02, 0x07);
    static final MultiHotLabels DB_LABELS = MultiHotLabels.ofClasses(new int[] {0, 1, 0, 1, 0}, 3);

    @Test
    void handComputedValuesWithTiesAndAQueryWithoutRelevantItems() {
        RetrievalMetrics r = eval(bytes(0x00, 0x00), MultiHotLabels.ofClasses(new int[] {0, 2}, 3), DB, DB_LABELS,
                config(new int[] {1, 2, 0, 10}, new int[] {2, 10}));
        double apAll = (1.0 / 2 + 2.0 / 4 + 3.0 / 5) / 3;
        assertEquals(apAll / 2, r.mapAt(0), 1e-15, "mAP@all: the second query counts 0");
        assertEquals(apAll / 2, r.mapAt(10), 1e-15, "K beyond the database is all of it");
        assertEquals(0.5 / 2, r.mapAt(2), 1e-15);
        assertEquals(0.0, r.mapAt(1), 1e-15);
        assertEquals(2, r.mapQueriesCounted()[0]);
        assertEquals((1.0 / 2) / 2, r.precisionAt(2), 1e-15);
        assertEquals((3.0 / 5) / 2, r.precisionAt(10), 1e-15);
        assertEquals((1.0 / 3) / 2, r.recallAt(2), 1e-15);
        assertEquals(0.5, r.recallAt(10), 1e-15);
    }

    @Test
    void hashNetRuleDropsQueriesWithoutRelevantItems() {
        EvalConfig c = config(new int[] {1, 2, 0}, new int[0]).withZeroRelevant(ZeroRelevantRule.DROP_QUERY);
        RetrievalMetrics r = eval(bytes(0x00, 0x00), MultiHotLabels.ofClasses(new int[] {0, 2}, 3), DB, DB_LABELS, c);
        assertEquals((1.0 / 2 + 2.0 / 4 + 3.0 / 5) / 3, r.mapAt(0), 1e-15);
        assertEquals(1, r.mapQueriesCounted()[2]);
        assertEquals(0.0, r.mapAt(1), 1e-15, "no query has a relevant item at rank 1");
        assertEquals(0, r.mapQueriesCounted()[0]);
    }

    @Test
    void deepHashPytorchAllConventionDropsTheLastRankedItem() {
        EvalConfig c = config(new int[] {0}, new int[0]).withAllConvention(AllConvention.DEEPHASH_PYTORCH_MINUS_ONE);
        RetrievalMetrics r = eval(bytes(0x00), MultiHotLabels.ofClasses(new int[] {0}, 3), DB, DB_LABELS, c);
        assertEquals((1.0 / 2 + 2.0 / 4) / 2, r.mapAt(0), 1e-15, "the relevant item at rank 5 is cut");
    }

    @Test
    void tiesAreBrokenByDatabasePosition() {
        MultiHotLabels labels = MultiHotLabels.ofClasses(new int[] {0, 1, 1, 0, 0}, 2);
        RetrievalMetrics r = eval(bytes(0x00), MultiHotLabels.ofClasses(new int[] {0}, 2), DB, labels,
                config(new int[] {0}, new int[0]));
        assertEquals((1.0 / 3 + 2.0 / 4 + 3.0 / 5) / 3, r.mapAt(0), 1e-15);
    }

    @Test
    void tieAwareApAveragesTheTwoOrdersOfTheTiedPair() {
        // Ranks 2-3 are a tie of one relevant and one irrelevant item: AP@all is 0.5333 or 0.4778.
        RetrievalMetrics r = eval(bytes(0x00), MultiHotLabels.ofClasses(new int[] {0}, 3), DB, DB_LABELS,
                config(new int[] {0, 2}, new int[] {2}));
        double a = (1.0 / 2 + 2.0 / 4 + 3.0 / 5) / 3;
        double b = (1.0 / 3 + 2.0 / 4 + 3.0 / 5) / 3;
        assertEquals((a + b) / 2, r.tieAwareMapAt(0), 1e-15);
        assertEquals(0.5 * 0.5, r.tieAwareMapAt(2), 1e-15, "AP@2 is 1/2 or 0, each with probability 1/2");
        assertEquals(0.25, r.tieAwarePrecisionAt(2), 1e-15);
    }

    @Test
    void tieAwareApMatchesEnumerationOfEveryOrderOnRandomRankings() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rnd.nextInt(8);
            int[] dist = new int[n];
            boolean[] rel = new boolean[n];
            for (int i = 0; i < n; i++) {
                dist[i] = rnd.nextInt(3);
                rel[i] = rnd.nextInt(3) == 0;
            }
            int k = 1 + rnd.nextInt(n);
            double expected = bruteForceExpectedAp(dist, rel, k);
            int[] sizes = new int[3];
            int[] relevant = new int[3];
            for (int i = 0; i < n; i++) {
                sizes[dist[i]]++;
                if (rel[i]) {
                    relevant[dist[i]]++;
                }
            }
            double[] out = new double[3];
            new TieAwareAp(n).expected(sizes, relevant, 3, k, out);
            assertEquals(expected, out[0], 1e-12, "trial " + trial);
        }
    }

    /** Mean AP@K over every order of the items inside each distance group. */
    private static double bruteForceExpectedAp(int[] dist, boolean[] rel, int k) {
        List<List<Boolean>> groups = new ArrayList<>();
        for (int d = 0; d < 3; d++) {
            List<Boolean> g = new ArrayList<>();
            for (int i = 0; i < dist.length; i++) {
                if (dist[i] == d) {
                    g.add(rel[i]);
                }
            }
            groups.add(g);
        }
        List<List<Boolean>> rankings = new ArrayList<>();
        rankings.add(new ArrayList<>());
        for (List<Boolean> g : groups) {
            List<List<Boolean>> perms = permutations(g);
            List<List<Boolean>> next = new ArrayList<>();
            for (List<Boolean> prefix : rankings) {
                for (List<Boolean> p : perms) {
                    List<Boolean> r = new ArrayList<>(prefix);
                    r.addAll(p);
                    next.add(r);
                }
            }
            rankings = next;
        }
        double sum = 0;
        for (List<Boolean> r : rankings) {
            int found = 0;
            double s = 0;
            for (int pos = 0; pos < k; pos++) {
                if (r.get(pos)) {
                    found++;
                    s += (double) found / (pos + 1);
                }
            }
            sum += found == 0 ? 0 : s / found;
        }
        return sum / rankings.size();
    }

    private static List<List<Boolean>> permutations(List<Boolean> items) {
        List<List<Boolean>> out = new ArrayList<>();
        if (items.isEmpty()) {
            out.add(new ArrayList<>());
            return out;
        }
        for (int i = 0; i < items.size(); i++) {
            List<Boolean> rest = new ArrayList<>(items);
            Boolean head = rest.remove(i);
            for (List<Boolean> p : permutations(rest)) {
                p.add(0, head);
                out.add(p);
            }
        }
        return out;
    }

    @Test
    void precisionAndRecallByRadius() {
        RetrievalMetrics r = eval(bytes(0x00), MultiHotLabels.ofClasses(new int[] {0}, 3), DB, DB_LABELS,
                config(new int[] {0}, new int[] {1}));
        // radius 0: {1} -> 0 relevant; radius 1: {1,2,3} -> 1; radius 2: +{0} -> 2 of 4; radius 3: all 3 of 5
        assertEquals(0.0, r.radiusPrecision()[0], 1e-15);
        assertEquals(1.0 / 3, r.radiusPrecision()[1], 1e-15);
        assertEquals(2.0 / 4, r.precisionWithinRadius(), 1e-15);
        assertEquals(2.0 / 3, r.recallWithinRadius(), 1e-15);
        assertEquals(3.0 / 5, r.radiusPrecision()[3], 1e-15);
        assertEquals(1.0, r.radiusRecall()[8], 1e-15);
    }

    @Test
    void mapOnlyConfigurationSkipsTheFullReportButAgreesOnMap() {
        RetrievalMetrics full = eval(bytes(0x00, 0x05), MultiHotLabels.ofClasses(new int[] {0, 1}, 3), DB, DB_LABELS,
                config(new int[] {2, 3}, new int[0]));
        RetrievalMetrics fast = eval(bytes(0x00, 0x05), MultiHotLabels.ofClasses(new int[] {0, 1}, 3), DB, DB_LABELS,
                EvalConfig.mapOnly(2, 3));
        assertEquals(full.mapAt(2), fast.mapAt(2), 1e-15);
        assertEquals(full.mapAt(3), fast.mapAt(3), 1e-15);
        assertEquals(full.tieAwareMapAt(3), fast.tieAwareMapAt(3), 1e-15);
        assertNull(fast.radiusPrecision());
    }

    @Test
    void multiLabelRelevanceIsAnySharedLabel() {
        MultiHotLabels.Builder dbb = new MultiHotLabels.Builder(3, 70);
        dbb.add(0, 3);
        dbb.add(1, 65).add(1, 2);
        dbb.add(2, 69);
        MultiHotLabels.Builder qb = new MultiHotLabels.Builder(1, 70);
        qb.add(0, 65).add(0, 69);
        RetrievalMetrics r = eval(bytes(0x00), qb.build(), bytes(0x00, 0x01, 0x03), dbb.build(), config(new int[] {0}, new int[] {3}));
        assertEquals((1.0 / 2 + 2.0 / 3) / 2, r.mapAt(0), 1e-15);
        assertEquals(1.0, r.recallAt(3), 1e-15);
    }

    @Test
    void thePrunedScanForSmallCutoffsGivesTheExactFiguresToTheLastBit() {
        Random rnd = new Random(11);
        for (int bits : new int[] {8, 16, 64, 128}) {
            int n = 20_000;
            int nq = 45;
            BinaryCodes db = clustered(rnd, n, bits);
            BinaryCodes q = clustered(rnd, nq, bits);
            int[] dbClass = rnd.ints(n, 0, 7).toArray();
            int[] qClass = rnd.ints(nq, 0, 7).toArray();
            EvalConfig c = new EvalConfig(new int[] {1, 10, 20}, new int[] {5, 20}, AllConvention.FULL,
                    ZeroRelevantRule.DROP_QUERY, 2, false);
            assertTrue(RetrievalEvaluator.prunes(c, n), "the configuration must take the pruned scan");
            assertTrue(!RetrievalEvaluator.prunes(c.withMapCutoffs(21), n), "K = 21 is above 1/1000 of 20,000");
            MultiHotLabels ql = MultiHotLabels.ofClasses(qClass, 7);
            MultiHotLabels dbl = MultiHotLabels.ofClasses(dbClass, 7);
            RetrievalMetrics full = RetrievalEvaluator.evaluate(q, ql, db, dbl, c, ProgressListener.NONE, false);
            RetrievalMetrics pruned = RetrievalEvaluator.evaluate(q, ql, db, dbl, c, ProgressListener.NONE, true);
            String at = bits + " bits";
            assertTrue(java.util.Arrays.equals(full.map(), pruned.map()), at);
            assertTrue(java.util.Arrays.equals(full.tieAwareMap(), pruned.tieAwareMap()), at);
            assertTrue(java.util.Arrays.equals(full.mapQueriesCounted(), pruned.mapQueriesCounted()), at);
            assertTrue(java.util.Arrays.equals(full.precision(), pruned.precision()), at);
            assertTrue(java.util.Arrays.equals(full.tieAwarePrecision(), pruned.tieAwarePrecision()), at);
            assertTrue(full.mapAt(20) > 0.1 && full.mapAt(20) < 1, at + ": " + full.mapAt(20));
        }
    }

    /** Codes near a few centres, so that many items tie and the nearest are much nearer than the rest. */
    private static BinaryCodes clustered(Random rnd, int n, int bits) {
        int bytesPer = bits / 8;
        byte[][] centres = new byte[5][bytesPer];
        Random centreRnd = new Random(bits);
        for (byte[] c : centres) {
            centreRnd.nextBytes(c);
        }
        byte[] b = new byte[n * bytesPer];
        for (int i = 0; i < n; i++) {
            System.arraycopy(centres[rnd.nextInt(centres.length)], 0, b, i * bytesPer, bytesPer);
            for (int f = rnd.nextInt(bits / 4); f > 0; f--) {
                int bit = rnd.nextInt(bits);
                b[i * bytesPer + bit / 8] ^= (byte) (1 << (bit % 8));
            }
        }
        return BinaryCodes.fromPackedBytes(b, bits, BitOrder.BIG, null);
    }

    @Test
    void matchesABruteForceFullSortOnRandomCodes() {
        Random rnd = new Random(3);
        int n = 500;
        int nq = 37;
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
        for (int k : new int[] {1, 50, 499, 500}) {
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
            for (EvalConfig c : new EvalConfig[] {EvalConfig.mapOnly(k), config(new int[] {k}, new int[] {k})}) {
                RetrievalMetrics r = eval(q, MultiHotLabels.ofClasses(qClass, 4), db, MultiHotLabels.ofClasses(dbClass, 4), c);
                assertEquals(expected, r.mapAt(k), 1e-12, "K = " + k + ", " + c);
            }
        }
    }

    @Test
    void tieAwareApIsInvariantToDatabaseOrderWhileTheDeterministicOneIsNot() {
        Random rnd = new Random(5);
        int n = 300;
        byte[] dbBytes = new byte[n];
        rnd.nextBytes(dbBytes);
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            cls[i] = rnd.nextInt(3);
        }
        int[] perm = java.util.stream.IntStream.range(0, n).boxed().sorted((a, b) -> Integer.compare((a * 7919) % n, (b * 7919) % n))
                .mapToInt(Integer::intValue).toArray();
        BinaryCodes db = BinaryCodes.fromPackedBytes(dbBytes, 8, BitOrder.BIG, null);
        MultiHotLabels labels = MultiHotLabels.ofClasses(cls, 3);
        BinaryCodes q = bytes(0x00, 0x0F, 0xF0);
        MultiHotLabels ql = MultiHotLabels.ofClasses(new int[] {0, 1, 2}, 3);
        EvalConfig c = config(new int[] {20, 0}, new int[] {20});
        RetrievalMetrics a = eval(q, ql, db, labels, c);
        RetrievalMetrics b = eval(q, ql, db.subset(perm), labels.subset(perm), c);
        assertEquals(a.tieAwareMapAt(20), b.tieAwareMapAt(20), 1e-12);
        assertEquals(a.tieAwareMapAt(0), b.tieAwareMapAt(0), 1e-12);
        assertEquals(a.tieAwarePrecisionAt(20), b.tieAwarePrecisionAt(20), 1e-12);
        assertTrue(Math.abs(a.mapAt(20) - b.mapAt(20)) > 1e-6, "with 8-bit codes the tie order matters");
    }

    @Test
    void mismatchedInputsAreRefused() {
        MultiHotLabels one = MultiHotLabels.ofClasses(new int[] {0}, 2);
        BinaryCodes c16 = BinaryCodes.fromPackedBytes(new byte[2], 16, BitOrder.BIG, null);
        EvalConfig c = EvalConfig.mapOnly(0);
        assertThrows(IllegalArgumentException.class, () -> eval(bytes(0), one, c16, one, c));
        assertThrows(IllegalArgumentException.class, () -> eval(bytes(0), one, bytes(0, 1), one, c));
        assertThrows(IllegalArgumentException.class, () -> EvalConfig.mapOnly(-1));
        assertThrows(IllegalArgumentException.class,
                () -> eval(bytes(0), one, bytes(0), MultiHotLabels.ofClasses(new int[] {0}, 3), c));
    }
}
