package org.deephash4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.eval.EvalConfig;
import org.deephash4j.eval.RetrievalEvaluator;
import org.deephash4j.eval.RetrievalMetrics;
import org.deephash4j.eval.ZeroRelevantRule;
import org.deephash4j.index.FlatIndex;
import org.deephash4j.index.SearchResult;
import org.deephash4j.util.ProgressListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** In Spark's local mode (2 threads): the distributed k-NN join and evaluation give the single-machine answers. */
class DistributedSearchTest {

    static SparkSession spark;
    static JavaSparkContext sc;

    /** The tests' Spark: local mode, 2 threads, loopback only, no UI; one per test JVM, stopped at its exit. */
    static synchronized SparkSession session() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2]").appName("deephash4j-test").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4").getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
        }
        return spark;
    }

    @BeforeAll
    static void start() {
        sc = JavaSparkContext.fromSparkContext(session().sparkContext());
    }

    /** Codes with ties aplenty: 16-bit, around class centres. */
    static BinaryCodes codes(Random r, int n, int bits, int[] classesOut, long idStep) {
        long[] centres = new long[10];
        for (int c = 0; c < centres.length; c++) {
            centres[c] = r.nextLong() & ((1L << bits) - 1);
        }
        long[] w = new long[n];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(10);
            classesOut[i] = c;
            long v = centres[c];
            for (int f = 0; f < 3; f++) {
                v ^= (r.nextInt(3) == 0 ? 1L : 0L) << r.nextInt(bits);
            }
            w[i] = v;
            ids[i] = idStep * i + 11;
        }
        return BinaryCodes.of(bits, w, ids);
    }

    @Test
    void theKnnJoinIsFlatIndexToTheLastTie() {
        Random r = new Random(4);
        int[] cls = new int[30_000];
        BinaryCodes db = codes(r, 30_000, 16, cls, 3);
        BinaryCodes q = codes(r, 300, 16, new int[300], 1);
        FlatIndex flat = new FlatIndex(16);
        flat.add(db);
        JavaRDD<CodeChunk> rdd = DistributedSearch.parallelize(sc, db, null, false, 7);
        for (int k : new int[] {1, 10, 250}) {
            SearchResult want = flat.search(q, k);
            SearchResult got = DistributedSearch.knn(rdd, q, k);
            assertEquals(java.util.Arrays.toString(want.ids()), java.util.Arrays.toString(got.ids()), "k = " + k);
            assertEquals(java.util.Arrays.toString(want.distances()), java.util.Arrays.toString(got.distances()));
        }
    }

    @Test
    void theEvaluationIsRetrievalEvaluatorsToTwelveDigits() {
        Random r = new Random(9);
        int n = 40_000;
        int[] dbClasses = new int[n];
        BinaryCodes db = codes(r, n, 32, dbClasses, 1);
        int[] qClasses = new int[500];
        BinaryCodes q = codes(r, 500, 32, qClasses, 1);
        MultiHotLabels dbl = MultiHotLabels.ofClasses(dbClasses, 10);
        MultiHotLabels ql = MultiHotLabels.ofClasses(qClasses, 10);
        int[] cuts = {1, 100, 1000, 5000};
        int[] prec = {10, 1000};
        JavaRDD<CodeChunk> rdd = DistributedSearch.parallelize(sc, db, dbl, true, 6).cache();
        for (ZeroRelevantRule rule : ZeroRelevantRule.values()) {
            DistributedSearch.Figures got = DistributedSearch.evaluate(rdd, q, ql, cuts, prec, rule);
            EvalConfig config = EvalConfig.mapOnly(cuts).withZeroRelevant(rule);
            config = new EvalConfig(cuts, prec, config.allConvention(), rule, config.radius(), false);
            RetrievalMetrics want = RetrievalEvaluator.evaluate(q, ql, db, dbl, config, ProgressListener.NONE);
            for (int c = 0; c < cuts.length; c++) {
                assertEquals(want.mapAt(cuts[c]), got.map()[c], 1e-12, "mAP@" + cuts[c] + " " + rule);
            }
            for (int c = 0; c < prec.length; c++) {
                assertEquals(want.precisionAt(prec[c]), got.precision()[c], 1e-12, "P@" + prec[c]);
            }
        }
    }
}
