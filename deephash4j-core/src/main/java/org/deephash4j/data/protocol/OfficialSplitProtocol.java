package org.deephash4j.data.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.deephash4j.data.MultiHotLabels;

/**
 * The data set's own split: every official test item is a query, and the official training set is
 * both the database and the training set (the "-2" protocols, e.g. CIFAR-10 (II)).
 *
 * @param forDataset the data set the protocol is named for, or {@code null}
 */
public record OfficialSplitProtocol(String name, String forDataset) implements Protocol {

    @Override
    public Optional<String> dataset() {
        return Optional.ofNullable(forDataset);
    }

    @Override
    public Split split(MultiHotLabels labels, int officialTrainSize) {
        int n = labels.size();
        if (officialTrainSize <= 0 || officialTrainSize >= n) {
            throw new IllegalArgumentException(name + ": needs a data set with both official training and test items");
        }
        int[] query = range(officialTrainSize, n);
        int[] train = range(0, officialTrainSize);
        return new Split(query, train, train);
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        java.util.Arrays.setAll(r, i -> from + i);
        return r;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("kind", "official");
        m.put("queries", "all official test items");
        m.put("database", "all official training items");
        m.put("train", "all official training items");
        return m;
    }
}
