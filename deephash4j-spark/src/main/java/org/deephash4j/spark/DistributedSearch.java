package org.deephash4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.eval.AveragePrecision;
import org.deephash4j.eval.ZeroRelevantRule;
import org.deephash4j.index.SearchResult;
import scala.Tuple2;

/**
 * Exact search and evaluation over a database partitioned across Spark executors. The queries are
 * broadcast; each partition finds every query's best candidates among its codes, ordered by
 * (distance, key); the partial lists are merged exactly (the k best of a union are among the k best of
 * each part), so the results are the single-machine ones: the k-NN join equals {@code FlatIndex}, the
 * evaluation equals {@code RetrievalEvaluator} (keys are database positions, its tie order).
 */
public final class DistributedSearch {

    private DistributedSearch() {
    }

    /** The database as an RDD of chunks, {@code partitions} of them, keyed by position ({@code byPosition}) or by id. */
    public static JavaRDD<CodeChunk> parallelize(JavaSparkContext sc, BinaryCodes codes, MultiHotLabels labels, boolean byPosition,
            int partitions) {
        int size = Math.max(1, Math.min(CodeChunk.DEFAULT_SIZE, (codes.size() + partitions - 1) / partitions));
        return sc.parallelize(CodeChunk.split(codes, labels, byPosition, size), partitions);
    }

    /** The k nearest database codes (keyed by id) of each query, ordered by (distance, id): {@code FlatIndex}'s answer. */
    public static SearchResult knn(JavaRDD<CodeChunk> database, BinaryCodes queries, int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        Map<Integer, Candidates> best = bestPerQuery(database, queries, null, k);
        int width = best.values().stream().mapToInt(Candidates::size).min().orElse(0);
        long[] ids = new long[queries.size() * width];
        int[] dist = new int[queries.size() * width];
        for (int q = 0; q < queries.size(); q++) {
            Candidates c = best.get(q);
            System.arraycopy(c.keys(), 0, ids, q * width, width);
            System.arraycopy(c.distances(), 0, dist, q * width, width);
        }
        return new SearchResult(queries.size(), width, ids, dist);
    }

    /** mAP@K and precision@K of each cut-off, as {@code RetrievalEvaluator} defines them. */
    public record Figures(int[] mapCuts, double[] map, int[] precisionCuts, double[] precision, int queries) {
    }

    /**
     * mAP@K (DeepHash-pytorch's definition, ties by database position) and precision@K over a database
     * keyed by position, with its labels. Cut-offs must not exceed the database's size.
     */
    public static Figures evaluate(JavaRDD<CodeChunk> database, BinaryCodes queries, MultiHotLabels queryLabels, int[] mapCuts,
            int[] precisionCuts, ZeroRelevantRule zeroRelevant) {
        int maxCut = 0;
        for (int k : mapCuts) {
            maxCut = Math.max(maxCut, k);
        }
        for (int k : precisionCuts) {
            maxCut = Math.max(maxCut, k);
        }
        Map<Integer, Candidates> best = bestPerQuery(database, queries, queryLabels, maxCut);
        double[] map = new double[mapCuts.length];
        int[] counted = new int[mapCuts.length];
        double[] prec = new double[precisionCuts.length];
        for (int q = 0; q < queries.size(); q++) {
            boolean[] rel = best.get(q).relevant();
            if (rel.length < maxCut) {
                throw new IllegalArgumentException("a cut-off of " + maxCut + " exceeds the database's " + rel.length + " items");
            }
            int[] foundAt = new int[maxCut + 1];
            double[] sumAt = new double[maxCut + 1];
            AveragePrecision.prefixSums(rel, maxCut, foundAt, sumAt);
            for (int c = 0; c < mapCuts.length; c++) {
                if (foundAt[mapCuts[c]] > 0 || zeroRelevant != ZeroRelevantRule.DROP_QUERY) {
                    map[c] += AveragePrecision.at(mapCuts[c], foundAt, sumAt);
                    counted[c]++;
                }
            }
            for (int c = 0; c < precisionCuts.length; c++) {
                prec[c] += (double) foundAt[precisionCuts[c]] / precisionCuts[c];
            }
        }
        for (int c = 0; c < map.length; c++) {
            map[c] = counted[c] == 0 ? 0 : map[c] / counted[c];
        }
        for (int c = 0; c < prec.length; c++) {
            prec[c] /= Math.max(1, queries.size());
        }
        return new Figures(mapCuts.clone(), map, precisionCuts.clone(), prec, queries.size());
    }

    /** Every query's {@code k} best candidates over the whole database: per partition, then merged. */
    private static Map<Integer, Candidates> bestPerQuery(JavaRDD<CodeChunk> database, BinaryCodes queries, MultiHotLabels queryLabels,
            int k) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(database.context());
        Broadcast<long[]> qWords = sc.broadcast(queries.words());
        Broadcast<long[]> qLabels = queryLabels == null ? null : sc.broadcast(queryLabels.words());
        int nq = queries.size();
        int wpc = queries.wordsPerCode();
        int lw = queryLabels == null ? 0 : queryLabels.wordsPerItem();
        return database.mapPartitionsToPair((Iterator<CodeChunk> chunks) -> {
            Candidates[] acc = new Candidates[nq];
            long[] qw = qWords.value();
            long[] ql = qLabels == null ? null : qLabels.value();
            int[] scratch = new int[0];
            while (chunks.hasNext()) {
                CodeChunk chunk = chunks.next();
                if (scratch.length < chunk.size()) {
                    scratch = new int[chunk.size()];
                }
                for (int q = 0; q < nq; q++) {
                    Candidates c = Candidates.best(chunk, qw, q * wpc, ql, q * lw, k, scratch);
                    acc[q] = acc[q] == null ? c : Candidates.merge(acc[q], c, k);
                }
            }
            List<Tuple2<Integer, Candidates>> out = new ArrayList<>();
            for (int q = 0; q < nq; q++) {
                if (acc[q] != null) {
                    out.add(new Tuple2<>(q, acc[q]));
                }
            }
            return out.iterator();
        }).reduceByKey((a, b) -> Candidates.merge(a, b, k)).collectAsMap();
    }
}
