package org.deephash4j.data.protocol;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.util.SeededRandom;

/**
 * A validation split cut from another protocol's training items, for tuning hyper-parameters without
 * looking at the query set: a seeded random draw of {@code queries} training items become the
 * queries, the remaining training items train, and the database is the base database without the
 * new queries. The base protocol's queries appear nowhere. Spec: {@code val:BASE}.
 *
 * @param base the protocol whose training items are split
 * @param queries how many training items to hold out as validation queries
 */
public record ValidationProtocol(Protocol base, int queries, long seed) implements Protocol {

    /** The specification prefix. */
    public static final String PREFIX = "val:";

    /** Held-out items of {@code val:BASE}. */
    public static final int DEFAULT_QUERIES = 1000;

    public ValidationProtocol {
        if (queries <= 0) {
            throw new IllegalArgumentException("a validation split needs at least one query, got " + queries);
        }
    }

    @Override
    public String name() {
        return PREFIX + base.name();
    }

    @Override
    public Optional<String> dataset() {
        return base.dataset();
    }

    @Override
    public Split split(MultiHotLabels labels, int officialTrainSize) {
        Split outer = base.split(labels, officialTrainSize);
        int[] train = outer.train();
        if (train.length <= queries) {
            throw new IllegalArgumentException(name() + ": the base protocol has " + train.length
                    + " training items, too few to hold out " + queries + " validation queries and still train");
        }
        int[] shuffled = train.clone();
        new SeededRandom(seed).partialShuffle(shuffled, queries);
        boolean[] held = new boolean[labels.size()];
        for (int k = 0; k < queries; k++) {
            held[shuffled[k]] = true;
        }
        int[] query = Split.positionsWhere(held, true);
        return new Split(query, without(train, held), without(outer.database(), held));
    }

    private static int[] without(int[] positions, boolean[] removed) {
        return Arrays.stream(positions).filter(p -> !removed[p]).toArray();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name());
        m.put("kind", "validation split cut from the training items of the base protocol");
        m.put("queries", queries);
        m.put("seed", seed);
        m.put("base", base.describe());
        return m;
    }
}
