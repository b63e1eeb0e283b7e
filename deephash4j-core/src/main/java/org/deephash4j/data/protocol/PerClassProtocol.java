package org.deephash4j.data.protocol;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.util.SeededRandom;

/**
 * Draws a fixed number of queries per class (from the official test set, or from all items), puts
 * every other item in the database, and draws a fixed number of training items per class from the
 * database. Sampling is seeded ({@link SeededRandom}); for multi-label data an item is drawn for the
 * first class it is sampled under and is not drawn again.
 *
 * @param forDataset the data set the protocol is named for, or {@code null}
 */
public record PerClassProtocol(String name, String forDataset, int queriesPerClass, boolean queriesFromTest,
        int trainPerClass, long seed) implements Protocol {

    public PerClassProtocol {
        if (queriesPerClass <= 0 || trainPerClass < 0) {
            throw new IllegalArgumentException("per-class counts must be positive (queries " + queriesPerClass + ", train "
                    + trainPerClass + ")");
        }
    }

    @Override
    public Optional<String> dataset() {
        return Optional.ofNullable(forDataset);
    }

    @Override
    public Split split(MultiHotLabels labels, int officialTrainSize) {
        int n = labels.size();
        int from = queriesFromTest ? officialTrainSize : 0;
        if (from >= n) {
            throw new IllegalArgumentException(name + ": the data set has no official test set to draw queries from");
        }
        SeededRandom random = new SeededRandom(seed);
        boolean[] isQuery = new boolean[n];
        sample(labels, from, n, null, queriesPerClass, random, isQuery, "queries");
        int[] query = Split.positionsWhere(isQuery, true);
        int[] database = Split.positionsWhere(isQuery, false);
        boolean[] isTrain = new boolean[n];
        sample(labels, 0, n, isQuery, trainPerClass, random, isTrain, "training items");
        return new Split(query, Split.positionsWhere(isTrain, true), database);
    }

    private void sample(MultiHotLabels labels, int from, int to, boolean[] excluded, int perClass, SeededRandom random,
            boolean[] chosen, String what) {
        int[] candidates = new int[to - from];
        for (int c = 0; c < labels.numClasses(); c++) {
            int m = 0;
            for (int i = from; i < to; i++) {
                if (!chosen[i] && (excluded == null || !excluded[i]) && labels.has(i, c)) {
                    candidates[m++] = i;
                }
            }
            if (m == 0) {
                continue;
            }
            if (m < perClass) {
                throw new IllegalArgumentException(name + ": class " + c + " has only " + m + " items to draw " + perClass
                        + " " + what + " from");
            }
            int[] pool = Arrays.copyOf(candidates, m);
            random.partialShuffle(pool, perClass);
            for (int k = 0; k < perClass; k++) {
                chosen[pool[k]] = true;
            }
        }
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("kind", "per-class");
        m.put("queries_per_class", queriesPerClass);
        m.put("queries_from", queriesFromTest ? "official test set" : "all items");
        m.put("database", "all items that are not queries");
        m.put("train_per_class", trainPerClass);
        m.put("train_from", "database");
        m.put("seed", seed);
        m.put("sampler", "SplitMix64, partial Fisher-Yates per class in class order");
        return m;
    }
}
