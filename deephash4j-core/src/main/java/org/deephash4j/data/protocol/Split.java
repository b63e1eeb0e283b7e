package org.deephash4j.data.protocol;

import java.util.Arrays;

/**
 * Which items of a data set are queries, which train the hash function and which form the database
 * that queries search. Positions are ascending and unique within each list; queries never appear in
 * the database. The training items usually come from the database (the field's convention).
 */
public record Split(int[] query, int[] train, int[] database) {

    public Split {
        query = checkSorted("query", query);
        train = checkSorted("train", train);
        database = checkSorted("database", database);
        if (query.length == 0 || database.length == 0) {
            throw new IllegalArgumentException("a split needs queries and a database (got " + query.length + " queries, "
                    + database.length + " database items)");
        }
        int i = 0;
        int j = 0;
        while (i < query.length && j < database.length) {
            if (query[i] == database[j]) {
                throw new IllegalArgumentException("item " + query[i] + " is both a query and in the database");
            }
            if (query[i] < database[j]) {
                i++;
            } else {
                j++;
            }
        }
    }

    @Override
    public int[] query() {
        return query.clone();
    }

    @Override
    public int[] train() {
        return train.clone();
    }

    @Override
    public int[] database() {
        return database.clone();
    }

    /** Data set positions as item ids (codes and indexes identify items by their position). */
    public static long[] ids(int[] positions) {
        long[] ids = new long[positions.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = positions[i];
        }
        return ids;
    }

    /** The positions {@code i} with {@code flags[i] == value}, ascending. */
    public static int[] positionsWhere(boolean[] flags, boolean value) {
        int count = 0;
        for (boolean f : flags) {
            if (f == value) {
                count++;
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < flags.length; i++) {
            if (flags[i] == value) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** This split without the items at {@code absent} (ascending positions): items that have no data. */
    public Split without(int[] absent) {
        if (absent.length == 0) {
            return this;
        }
        return new Split(minus(query, absent), minus(train, absent), minus(database, absent));
    }

    private static int[] minus(int[] list, int[] absent) {
        return Arrays.stream(list).filter(p -> Arrays.binarySearch(absent, p) < 0).toArray();
    }

    /** Throws unless every position is below {@code size}. */
    public void checkWithin(int size) {
        for (int[] list : new int[][] {query, train, database}) {
            if (list.length > 0 && list[list.length - 1] >= size) {
                throw new IllegalArgumentException("split refers to item " + list[list.length - 1] + " but the data set has "
                        + size + " items");
            }
        }
    }

    private static int[] checkSorted(String what, int[] list) {
        int[] copy = list.clone();
        for (int k = 0; k < copy.length; k++) {
            if (copy[k] < 0) {
                throw new IllegalArgumentException(what + " list has a negative position " + copy[k]);
            }
            if (k > 0 && copy[k] <= copy[k - 1]) {
                throw new IllegalArgumentException(what + " list is not strictly ascending at entry " + k + " (" + copy[k - 1]
                        + ", " + copy[k] + ")");
            }
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Split s && Arrays.equals(query, s.query) && Arrays.equals(train, s.train)
                && Arrays.equals(database, s.database);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(query) * 961 + Arrays.hashCode(train) * 31 + Arrays.hashCode(database);
    }

    @Override
    public String toString() {
        return "Split[" + query.length + " queries, " + train.length + " train, " + database.length + " database]";
    }
}
