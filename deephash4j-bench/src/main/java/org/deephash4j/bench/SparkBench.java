package org.deephash4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.eval.EvalConfig;
import org.deephash4j.eval.RetrievalEvaluator;
import org.deephash4j.eval.RetrievalMetrics;
import org.deephash4j.eval.ZeroRelevantRule;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashModels;
import org.deephash4j.hash.classic.Itq;
import org.deephash4j.spark.CodeChunk;
import org.deephash4j.spark.DistributedSearch;
import org.deephash4j.spark.SparkEncoder;
import org.deephash4j.util.ProgressListener;
import org.deephash4j.util.SeededRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench/run spark}: Spark in local mode beside the single-machine code, same data, one run. */
@Command(name = "spark", mixinStandardHelpOptions = true,
        description = {"Spark 4 in local mode beside the single-machine code on the same data, in one run: batch encoding",
            "(feature vectors, codes/s) and exact mAP@K evaluation (queries x database)."})
final class SparkBench implements Callable<Integer> {

    @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--vectors", defaultValue = "200000", description = "Feature vectors to encode (default: ${DEFAULT-VALUE}).")
    int vectors;

    @Option(names = "--queries", defaultValue = "10000", description = "Evaluation queries (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--database", defaultValue = "1000000", description = "Evaluation database (default: ${DEFAULT-VALUE}).")
    int database;

    @Option(names = "-k", defaultValue = "1000", description = "mAP cut-off (default: ${DEFAULT-VALUE}).")
    int k;

    @Override
    public Integer call() throws Exception {
        SparkSession spark = SparkSession.builder().master(master).appName("deephash4j-bench").config("spark.driver.bindAddress",
                "127.0.0.1").config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
                .config("spark.driver.memory", "8g").getOrCreate();
        try {
            encoding(spark);
            evaluation(JavaSparkContext.fromSparkContext(spark.sparkContext()));
        } finally {
            spark.stop();
        }
        return 0;
    }

    private void encoding(SparkSession spark) throws Exception {
        int dim = 128;
        SeededRandom r = new SeededRandom(1);
        float[] train = new float[5000 * dim];
        for (int i = 0; i < train.length; i++) {
            train[i] = (float) r.nextDouble();
        }
        HashFunction f = new Itq().fit(new FeatureMatrix(5000, dim, train), 64, 1);
        Path dir = Files.createTempDirectory("deephash-spark-bench-");
        try {
            Path model = dir.resolve("itq.dhm");
            HashModels.save(model, f, Map.of());
            float[] all = new float[vectors * dim];
            List<Row> rows = new ArrayList<>(vectors);
            for (int i = 0; i < vectors; i++) {
                List<Float> v = new ArrayList<>(dim);
                for (int j = 0; j < dim; j++) {
                    all[i * dim + j] = (float) r.nextDouble();
                    v.add(all[i * dim + j]);
                }
                rows.add(RowFactory.create((long) i, v));
            }
            StructType schema = new StructType().add("id", DataTypes.LongType).add("v", DataTypes.createArrayType(DataTypes.FloatType));
            Dataset<Row> input = spark.createDataFrame(rows, schema).repartition(8).cache();
            input.count();
            List<Double> sparkTimes = new ArrayList<>();
            List<Double> localTimes = new ArrayList<>();
            for (int rep = 0; rep < 3; rep++) {
                long t = System.nanoTime();
                Path out = dir.resolve("codes" + rep + ".parquet");
                SparkEncoder.encodeFeatures(input, "id", "v", model, "itq64").write().parquet(out.toString());
                sparkTimes.add((System.nanoTime() - t) / 1e9);
                t = System.nanoTime();
                f.encode(new FeatureMatrix(vectors, dim, all), null);
                localTimes.add((System.nanoTime() - t) / 1e9);
            }
            double s = Timings.median(sparkTimes);
            double l = Timings.median(localTimes);
            System.out.printf(Locale.ROOT, "encode %,d x %d-d vectors to 64 bits (ITQ), medians of 3: Spark %s (DataFrame in, Parquet out) "
                    + "%.2f s = %,.0f codes/s; in-process HashFunction.encode %.2f s = %,.0f codes/s; ratio %.1fx%n", vectors, dim, master,
                    s, vectors / s, l, vectors / l, s / l);
        } finally {
            org.deephash4j.io.Folders.deleteTree(dir);
        }
    }

    private void evaluation(JavaSparkContext sc) {
        SeededRandom r = new SeededRandom(2);
        int classes = 10;
        long[] centres = new long[classes];
        for (int c = 0; c < classes; c++) {
            centres[c] = r.nextLong();
        }
        int[] qc = new int[queries];
        int[] dc = new int[database];
        BinaryCodes q = noisy(r, centres, qc);
        BinaryCodes db = noisy(r, centres, dc);
        MultiHotLabels ql = MultiHotLabels.ofClasses(qc, classes);
        MultiHotLabels dbl = MultiHotLabels.ofClasses(dc, classes);
        long t = System.nanoTime();
        RetrievalMetrics local = RetrievalEvaluator.evaluate(q, ql, db, dbl, EvalConfig.mapOnly(k), ProgressListener.NONE);
        double localSeconds = (System.nanoTime() - t) / 1e9;
        JavaRDD<CodeChunk> rdd = DistributedSearch.parallelize(sc, db, dbl, true, 8).cache();
        rdd.count();
        t = System.nanoTime();
        DistributedSearch.Figures spark = DistributedSearch.evaluate(rdd, q, ql, new int[] {k}, new int[0], ZeroRelevantRule.COUNT_AS_ZERO);
        double sparkSeconds = (System.nanoTime() - t) / 1e9;
        System.out.printf(Locale.ROOT, "mAP@%d of %,d queries x %,d codes: Spark %s %.1f s, RetrievalEvaluator (in-process) %.1f s; "
                + "ratio %.1fx; mAP %.12f vs %.12f, |difference| %.1e%n", k, queries, database, sc.master(), sparkSeconds, localSeconds,
                sparkSeconds / localSeconds, spark.map()[0], local.mapAt(k), Math.abs(spark.map()[0] - local.mapAt(k)));
    }

    /** 64-bit codes: a class centre with each bit flipped with probability 0.3. */
    private static BinaryCodes noisy(SeededRandom r, long[] centres, int[] classOut) {
        long[] w = new long[classOut.length];
        for (int i = 0; i < w.length; i++) {
            int c = r.nextInt(centres.length);
            classOut[i] = c;
            long flip = 0;
            for (int b = 0; b < 64; b++) {
                if (r.nextDouble() < 0.3) {
                    flip |= 1L << b;
                }
            }
            w[i] = centres[c] ^ flip;
        }
        return BinaryCodes.of(64, w, null);
    }
}
