package org.deephash4j.eval;

import java.util.Map;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.FeatureMatrix;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.data.protocol.Split;
import org.deephash4j.hash.HashFunction;
import org.deephash4j.hash.HashMethod;
import org.deephash4j.hash.SupervisedHashMethod;
import org.deephash4j.util.ProgressListener;

/**
 * One run of the standard experiment: fit a hash method on the split's training items, encode the
 * queries and the database, and evaluate Hamming ranking. Item ids of the codes are data set positions.
 */
public final class HashingExperiment {

    private HashingExperiment() {
    }

    /**
     * Outcome of one method at one code length.
     *
     * @param codes the query codes followed by the database codes, ids = data set positions
     */
    public record Outcome(String method, int bits, RetrievalMetrics metrics, BinaryCodes codes, double bitImbalance,
            double fitSeconds, double encodeSeconds, double evalSeconds) {

        /** The figures as a flat map for JSON reports. */
        public Map<String, Object> figures() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("method", method);
            m.put("bits", bits);
            m.put("bit_imbalance", bitImbalance);
            m.put("fit_seconds", fitSeconds);
            m.put("encode_seconds", encodeSeconds);
            m.put("eval_seconds", evalSeconds);
            m.put("metrics", metrics.figures());
            return m;
        }
    }

    /** mAP@1000 and mAP@all of a hash function on a split, and the bit imbalance of its database codes. */
    public record Evaluation(RetrievalMetrics metrics, double bitImbalance) {
    }

    /**
     * Encodes the split's queries and database with {@code f} and evaluates mAP@1000 and mAP@all: the
     * quick check of a model during training.
     */
    public static Evaluation evaluate(HashFunction f, FeatureMatrix features, MultiHotLabels labels, Split split) {
        BinaryCodes q = f.encode(features.rows(split.query()), null);
        BinaryCodes db = f.encode(features.rows(split.database()), null);
        RetrievalMetrics m = RetrievalEvaluator.evaluate(q, labels.subset(split.query()), db, labels.subset(split.database()),
                EvalConfig.mapOnly(1000, 0), ProgressListener.NONE);
        return new Evaluation(m, db.bitImbalance());
    }

    /** Runs {@code method} at {@code bits} on {@code features} / {@code labels} split by {@code split}. */
    public static Outcome run(HashMethod method, int bits, long seed, FeatureMatrix features, MultiHotLabels labels,
            Split split, ProgressListener progress) {
        return run(SupervisedHashMethod.ignoringLabels(method), bits, seed, features, labels, split, progress);
    }

    /** Runs a method that learns from the training items' labels. */
    public static Outcome run(SupervisedHashMethod method, int bits, long seed, FeatureMatrix features, MultiHotLabels labels,
            Split split, ProgressListener progress) {
        split.checkWithin(features.rows());
        long t0 = System.nanoTime();
        int[] train = split.train();
        HashFunction fn = method.fit(features.rows(train), labels.subset(train), bits, seed);
        long t1 = System.nanoTime();
        int[] q = split.query();
        int[] db = split.database();
        BinaryCodes queryCodes = fn.encode(features.rows(q), Split.ids(q));
        BinaryCodes dbCodes = fn.encode(features.rows(db), Split.ids(db));
        long t2 = System.nanoTime();
        if (fn instanceof AutoCloseable closeable) {
            try {
                closeable.close(); // native memory of deep models
            } catch (Exception e) {
                throw new IllegalStateException("releasing the " + fn.method() + " model failed", e);
            }
        }
        RetrievalMetrics r = RetrievalEvaluator.evaluate(queryCodes, labels.subset(q), dbCodes, labels.subset(db),
                EvalConfig.standard(), progress);
        long t3 = System.nanoTime();
        return new Outcome(method.name(), bits, r, BinaryCodes.concat(queryCodes, dbCodes), dbCodes.bitImbalance(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
    }

}
