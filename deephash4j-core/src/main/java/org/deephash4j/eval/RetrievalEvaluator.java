package org.deephash4j.eval;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.Hamming;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.util.ProgressListener;

/**
 * Hamming-ranking retrieval metrics, computed exactly as the field does, and fast.
 *
 * <p>Per query: the distances to every database code (popcount, vectorised by C2), a histogram over
 * the {@code bits + 1} distance values, then a counting sort of only the items up to the distance
 * of the K-th neighbour: never a full sort of the database. The order inside a distance is the
 * database position (the tie rule of Faiss). The histogram also gives every tied group's size,
 * from which {@link TieAwareAp} computes the tie-aware expectation. An item is relevant when it
 * shares a label with the query. Definitions are in {@link EvalConfig#describe()}.
 *
 * <p>When only measures up to a cut-off K are asked for ({@link EvalConfig#fullReport()} off) and K
 * is small beside the database (at most 1/{@value #PRUNE_FACTOR} of it: measured, mAP@1000 against
 * 1,000,000 codes gains 1.6x, while mAP@100 against 59,000 would lose 1.3x), the distances are not
 * computed per item: queries are scanned in blocks against tiles of the database, as the flat index
 * searches, and a tile is skipped when none of its codes is as near as the query's current K-th
 * distance ({@link NearestItems}); the figures are the same to the last bit. The system property
 * {@value #PRUNE_PROPERTY}{@code =false} turns this off.
 *
 * <p>Queries run in parallel in chunks; memory is a few arrays of database length per thread,
 * independent of the number of queries.
 */
public final class RetrievalEvaluator {

    /** System property that turns the pruned scan off when {@code false}. */
    public static final String PRUNE_PROPERTY = "deephash.eval.prune";
    /** The pruned scan is used when the largest cut-off times this is at most the database size. */
    static final int PRUNE_FACTOR = 1000;
    private static final boolean PRUNE = !"false".equals(System.getProperty(PRUNE_PROPERTY));
    private static final int CHUNK = 8;
    /**
     * Codes per skip test: small, because the K-th distance of mAP@K keeps a few items per thousand,
     * and a test of 1,024 codes would seldom fail. The block of queries reuses it from the L1 cache.
     */
    private static final int SUBTILE = 128;

    private RetrievalEvaluator() {
    }

    /** Evaluates {@code queries} against {@code database}. */
    public static RetrievalMetrics evaluate(BinaryCodes queries, MultiHotLabels queryLabels, BinaryCodes database,
            MultiHotLabels databaseLabels, EvalConfig config, ProgressListener progress) {
        return evaluate(queries, queryLabels, database, databaseLabels, config, progress, PRUNE);
    }

    /**
     * {@link #evaluate}, with the pruned scan allowed or not (the figures are the same either way;
     * benchmarks time the two side by side).
     */
    public static RetrievalMetrics evaluate(BinaryCodes queries, MultiHotLabels queryLabels, BinaryCodes database,
            MultiHotLabels databaseLabels, EvalConfig config, ProgressListener progress, boolean allowPruning) {
        check(queries, queryLabels, database, databaseLabels);
        int n = database.size();
        int nq = queries.size();
        int[] mapCuts = mapCuts(config, n);
        int[] precCuts = precisionCuts(config, n);
        int maxCut = largest(mapCuts, precCuts);
        boolean prune = allowPruning && prunes(config.fullReport(), maxCut, n);
        TieAwareAp tie = new TieAwareAp(n);
        ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(() -> new Workspace(n, database.bits()));
        int chunks = (nq + CHUNK - 1) / CHUNK;
        progress.start("evaluating " + nq + " queries against " + n, nq);
        Sums total;
        try {
            total = IntStream.range(0, chunks).parallel().mapToObj(c -> {
                Workspace w = workspaces.get();
                Sums s = new Sums(mapCuts.length, precCuts.length, database.bits());
                int begin = c * CHUNK;
                int end = Math.min(nq, begin + CHUNK);
                if (prune) {
                    w.scanNearest(queries, begin, end, database, maxCut);
                }
                for (int q = begin; q < end; q++) {
                    w.evaluate(queries, q, queryLabels, database, databaseLabels, mapCuts, precCuts, maxCut, config, tie, s,
                            prune ? w.nearest[q - begin] : null);
                }
                progress.advance(end - c * CHUNK);
                return s;
            }).reduce(Sums::merge).orElseGet(() -> new Sums(mapCuts.length, precCuts.length, database.bits()));
        } finally {
            progress.finish();
        }
        return total.toMetrics(config, nq, n, database.bits());
    }

    /**
     * Whether {@link #evaluate} takes the pruned scan for this configuration and database size (unless
     * turned off): only measures up to a cut-off K, with K at most 1/{@value #PRUNE_FACTOR} of the database.
     */
    public static boolean prunes(EvalConfig config, int databaseSize) {
        return prunes(config.fullReport(), largest(mapCuts(config, databaseSize), precisionCuts(config, databaseSize)),
                databaseSize);
    }

    /** The mAP cut-offs as numbers of ranked items (0, "all", resolved by the configuration's convention). */
    private static int[] mapCuts(EvalConfig config, int n) {
        return Arrays.stream(config.mapCutoffs()).map(k -> resolve(k, n, config.allConvention())).toArray();
    }

    private static int[] precisionCuts(EvalConfig config, int n) {
        return Arrays.stream(config.precisionCutoffs()).map(k -> Math.min(k, n)).toArray();
    }

    private static int largest(int[] mapCuts, int[] precisionCuts) {
        return Math.max(Arrays.stream(mapCuts).max().orElse(0), Arrays.stream(precisionCuts).max().orElse(0));
    }

    private static boolean prunes(boolean fullReport, int maxCut, int n) {
        return !fullReport && maxCut >= 1 && (long) maxCut * PRUNE_FACTOR <= n;
    }

    private static int resolve(int k, int n, AllConvention all) {
        if (k == 0) {
            return all == AllConvention.FULL ? n : n - 1;
        }
        return Math.min(k, n);
    }

    private static void check(BinaryCodes queries, MultiHotLabels queryLabels, BinaryCodes database, MultiHotLabels dbLabels) {
        if (queries.bits() != database.bits()) {
            throw new IllegalArgumentException("query codes have " + queries.bits() + " bits, database codes " + database.bits());
        }
        if (queries.size() != queryLabels.size() || database.size() != dbLabels.size()) {
            throw new IllegalArgumentException("codes and labels differ in count (queries " + queries.size() + " vs "
                    + queryLabels.size() + ", database " + database.size() + " vs " + dbLabels.size() + ")");
        }
        if (queryLabels.numClasses() != dbLabels.numClasses()) {
            throw new IllegalArgumentException("query labels have " + queryLabels.numClasses() + " classes, database labels "
                    + dbLabels.numClasses());
        }
        if (database.size() == 0) {
            throw new IllegalArgumentException("the database is empty");
        }
    }

    /** Running sums over queries. */
    private static final class Sums {
        final double[] map;
        final double[] tieMap;
        final int[] mapCounted;
        final int[] tieCounted;
        final double[] prec;
        final double[] tiePrec;
        final double[] recall;
        final double[] radiusPrec;
        final double[] radiusRecall;

        Sums(int mapCuts, int precCuts, int bits) {
            map = new double[mapCuts];
            tieMap = new double[mapCuts];
            mapCounted = new int[mapCuts];
            tieCounted = new int[mapCuts];
            prec = new double[precCuts];
            tiePrec = new double[precCuts];
            recall = new double[precCuts];
            radiusPrec = new double[bits + 1];
            radiusRecall = new double[bits + 1];
        }

        Sums merge(Sums o) {
            add(map, o.map);
            add(tieMap, o.tieMap);
            add(prec, o.prec);
            add(tiePrec, o.tiePrec);
            add(recall, o.recall);
            add(radiusPrec, o.radiusPrec);
            add(radiusRecall, o.radiusRecall);
            for (int i = 0; i < mapCounted.length; i++) {
                mapCounted[i] += o.mapCounted[i];
                tieCounted[i] += o.tieCounted[i];
            }
            return this;
        }

        private static void add(double[] a, double[] b) {
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
        }

        RetrievalMetrics toMetrics(EvalConfig config, int nq, int n, int bits) {
            double[] m = new double[map.length];
            double[] tm = new double[map.length];
            for (int i = 0; i < m.length; i++) {
                m[i] = mapCounted[i] == 0 ? 0 : map[i] / mapCounted[i];
                tm[i] = tieCounted[i] == 0 ? 0 : tieMap[i] / tieCounted[i];
            }
            double[] r = config.fullReport() ? div(recall, nq) : fill(recall.length, Double.NaN);
            return new RetrievalMetrics(config, nq, n, bits, m, tm, mapCounted.clone(), div(prec, nq), div(tiePrec, nq), r,
                    config.fullReport() ? div(radiusPrec, nq) : null, config.fullReport() ? div(radiusRecall, nq) : null);
        }

        private static double[] div(double[] a, int n) {
            double[] out = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = n == 0 ? 0 : a[i] / n;
            }
            return out;
        }

        private static double[] fill(int length, double v) {
            double[] out = new double[length];
            Arrays.fill(out, v);
            return out;
        }
    }

    /** Per-thread buffers and the per-query algorithm. */
    private static final class Workspace {
        final int n;
        final int bits;
        final int[] distances;
        final int[] order;
        final int[] orderDistance;
        final boolean[] relevantAt;
        final int[] count;
        final int[] count4;
        final int[] relevantCount;
        final int[] start;
        final int[] foundAt;
        final double[] sumAt;
        final double[] expected = new double[3];
        final NearestItems[] nearest = new NearestItems[CHUNK];
        final int[] tileDistances = new int[SUBTILE];

        Workspace(int n, int bits) {
            this.n = n;
            this.bits = bits;
            distances = new int[n];
            order = new int[n];
            orderDistance = new int[n];
            relevantAt = new boolean[n];
            count = new int[bits + 1];
            count4 = new int[4 * (bits + 1)];
            relevantCount = new int[bits + 1];
            start = new int[bits + 2];
            foundAt = new int[n + 1];
            sumAt = new double[n + 1];
            for (int i = 0; i < CHUNK; i++) {
                nearest[i] = new NearestItems(bits);
            }
        }

        /** Collects each query's items up to its K-th distance, a block of queries per tile of the database. */
        void scanNearest(BinaryCodes queries, int q0, int q1, BinaryCodes db, int k) {
            int wpc = db.wordsPerCode();
            long[] qw = queries.words();
            long[] dw = db.words();
            boolean skipTiles = Hamming.fastMinimum(wpc);
            for (int q = q0; q < q1; q++) {
                nearest[q - q0].reset(k);
            }
            for (int start = 0; start < n; start += SUBTILE) {
                int len = Math.min(SUBTILE, n - start);
                int off = start * wpc;
                for (int q = q0; q < q1; q++) {
                    NearestItems near = nearest[q - q0];
                    int threshold = near.threshold();
                    if (skipTiles && Hamming.minDistance(qw, q * wpc, wpc, dw, off, len) > threshold) {
                        continue;
                    }
                    if (Hamming.distancesBelow(qw, q * wpc, wpc, dw, off, len, tileDistances, threshold + 1)) {
                        for (int i = 0; i < len; i++) {
                            if (tileDistances[i] <= near.threshold()) {
                                near.offer(tileDistances[i], start + i);
                            }
                        }
                    }
                }
            }
        }

        /**
         * Scores query {@code q}: from its collected nearest items when {@code near} is given, else
         * from a distance to every database item.
         */
        void evaluate(BinaryCodes queries, int q, MultiHotLabels ql, BinaryCodes db, MultiHotLabels dbl, int[] mapCuts,
                int[] precCuts, int maxCut, EvalConfig config, TieAwareAp tie, Sums sums, NearestItems near) {
            Arrays.fill(relevantCount, 0);
            int totalRelevant = 0;
            int threshold;
            int covered;
            if (near != null) {
                covered = near.sortInto(count, start, order, orderDistance);
                threshold = near.threshold();
            } else {
                int wpc = db.wordsPerCode();
                Hamming.distances(queries.words(), q * wpc, db.words(), n, wpc, distances);
                if (config.fullReport()) {
                    totalRelevant = histogramWithRelevance(ql, q, dbl);
                } else {
                    histogram();
                }
                threshold = 0;
                covered = count[0];
                while (covered < maxCut) {
                    covered += count[++threshold];
                }
                gather(threshold, covered);
            }
            markRelevance(ql, q, dbl, covered, threshold, !config.fullReport());

            AveragePrecision.prefixSums(relevantAt, maxCut, foundAt, sumAt);
            boolean drop = config.zeroRelevant() == ZeroRelevantRule.DROP_QUERY;
            for (int c = 0; c < mapCuts.length; c++) {
                int k = mapCuts[c];
                int f = foundAt[k];
                if (f > 0 || !drop) {
                    sums.map[c] += AveragePrecision.at(k, foundAt, sumAt);
                    sums.mapCounted[c]++;
                }
                tie.expected(count, relevantCount, threshold + 1, k, expected);
                if (expected[2] > 0 || !drop) {
                    sums.tieMap[c] += expected[0];
                    sums.tieCounted[c]++;
                }
            }
            for (int c = 0; c < precCuts.length; c++) {
                int k = precCuts[c];
                sums.prec[c] += (double) foundAt[k] / k;
                tie.expected(count, relevantCount, threshold + 1, k, expected);
                sums.tiePrec[c] += expected[1] / k;
                if (totalRelevant > 0) {
                    sums.recall[c] += (double) foundAt[k] / totalRelevant;
                }
            }
            if (config.fullReport()) {
                int retrieved = 0;
                int relevantRetrieved = 0;
                for (int r = 0; r <= bits; r++) {
                    retrieved += count[r];
                    relevantRetrieved += relevantCount[r];
                    if (retrieved > 0) {
                        sums.radiusPrec[r] += (double) relevantRetrieved / retrieved;
                    }
                    if (totalRelevant > 0) {
                        sums.radiusRecall[r] += (double) relevantRetrieved / totalRelevant;
                    }
                }
            }
        }

        /** Distance histogram, with four interleaved counters so that equal neighbours do not stall. */
        private void histogram() {
            int b1 = bits + 1;
            Arrays.fill(count4, 0);
            int[] d = distances;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                count4[d[i]]++;
                count4[b1 + d[i + 1]]++;
                count4[2 * b1 + d[i + 2]]++;
                count4[3 * b1 + d[i + 3]]++;
            }
            for (; i < n; i++) {
                count4[d[i]]++;
            }
            for (int v = 0; v < b1; v++) {
                count[v] = count4[v] + count4[b1 + v] + count4[2 * b1 + v] + count4[3 * b1 + v];
            }
        }

        /** Distance histogram and relevant items per distance over the whole database; returns all relevant. */
        private int histogramWithRelevance(MultiHotLabels ql, int q, MultiHotLabels dbl) {
            Arrays.fill(count, 0);
            int total = 0;
            if (ql.wordsPerItem() == 1) {
                long qw = ql.words()[q];
                long[] lw = dbl.words();
                for (int i = 0; i < n; i++) {
                    int d = distances[i];
                    count[d]++;
                    if ((lw[i] & qw) != 0) {
                        relevantCount[d]++;
                        total++;
                    }
                }
            } else {
                for (int i = 0; i < n; i++) {
                    int d = distances[i];
                    count[d]++;
                    if (ql.relevant(q, dbl, i)) {
                        relevantCount[d]++;
                        total++;
                    }
                }
            }
            return total;
        }

        /** Counting sort of the {@code covered} items at distance {@code <= threshold}, by (distance, position). */
        private void gather(int threshold, int covered) {
            start[0] = 0;
            for (int d = 0; d <= threshold; d++) {
                start[d + 1] = start[d] + count[d];
            }
            if (covered == n) {
                for (int i = 0; i < n; i++) {
                    int at = start[distances[i]]++;
                    order[at] = i;
                    orderDistance[at] = distances[i];
                }
                return;
            }
            for (int i = 0; i < n; i++) {
                int d = distances[i];
                if (d <= threshold) {
                    int at = start[d]++;
                    order[at] = i;
                    orderDistance[at] = d;
                }
            }
        }

        /** Relevance of the gathered items; also counts relevant items per distance when not already done. */
        private void markRelevance(MultiHotLabels ql, int q, MultiHotLabels dbl, int covered, int threshold, boolean countThem) {
            boolean single = ql.wordsPerItem() == 1;
            long qw = single ? ql.words()[q] : 0;
            long[] lw = dbl.words();
            for (int pos = 0; pos < covered; pos++) {
                int i = order[pos];
                boolean rel = single ? (lw[i] & qw) != 0 : ql.relevant(q, dbl, i);
                relevantAt[pos] = rel;
                if (rel && countThem) {
                    relevantCount[orderDistance[pos]]++;
                }
            }
            if (countThem) {
                Arrays.fill(relevantCount, threshold + 1, relevantCount.length, 0);
            }
        }
    }
}
