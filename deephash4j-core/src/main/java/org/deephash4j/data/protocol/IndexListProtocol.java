package org.deephash4j.data.protocol;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.deephash4j.data.MultiHotLabels;

/**
 * A split given as explicit index lists, e.g. a published split or one written next to an earlier
 * result. When no database list is given, the database is every item that is not a query.
 *
 * @param database the database positions, or {@code null} for "all non-queries"
 * @param origin where the lists came from, for reports
 */
public record IndexListProtocol(String name, String forDataset, int[] query, int[] train, int[] database, String origin)
        implements Protocol {

    @Override
    public Optional<String> dataset() {
        return Optional.ofNullable(forDataset);
    }

    @Override
    public Split split(MultiHotLabels labels, int officialTrainSize) {
        int[] db = database;
        if (db == null) {
            boolean[] isQuery = new boolean[labels.size()];
            for (int q : query) {
                if (q < 0 || q >= isQuery.length) {
                    throw new IllegalArgumentException(name + ": query position " + q + " outside the data set of "
                            + labels.size() + " items");
                }
                isQuery[q] = true;
            }
            db = Split.positionsWhere(isQuery, false);
        }
        Split split = new Split(query, train, db);
        split.checkWithin(labels.size());
        return split;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("kind", "index lists");
        m.put("origin", origin);
        m.put("queries", query.length);
        m.put("train", train.length);
        m.put("database", database == null ? "all items that are not queries" : database.length);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexListProtocol p && name.equals(p.name) && Arrays.equals(query, p.query)
                && Arrays.equals(train, p.train) && Arrays.equals(database, p.database);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(query);
    }

    @Override
    public String toString() {
        return "IndexListProtocol[" + name + " from " + origin + "]";
    }
}
