package org.deephash4j.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.BitOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both indexes return exactly what a brute-force reference returns, ties included, on random and on
 * clustered codes, at several code lengths, for many k and radii, also after save/load and removal.
 */
class IndexPropertyTest {

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int bits : new int[] {64, 128, 256, 72, 16}) {
            for (boolean clustered : new boolean[] {false, true}) {
                for (String type : new String[] {"flat", "mih"}) {
                    out.add(Arguments.of(bits, clustered, type));
                }
            }
        }
        return out.stream();
    }

    /** Codes with shuffled, non-contiguous ids; clustered = a few centres with a few bits flipped. */
    static BinaryCodes codes(int n, int bits, boolean clustered, Random r, long idBase) {
        byte[] b = new byte[n * bits / 8];
        if (clustered) {
            byte[][] centres = new byte[20][bits / 8];
            for (byte[] c : centres) {
                r.nextBytes(c);
            }
            for (int i = 0; i < n; i++) {
                System.arraycopy(centres[r.nextInt(centres.length)], 0, b, i * bits / 8, bits / 8);
                for (int f = r.nextInt(5); f > 0; f--) {
                    int bit = r.nextInt(bits);
                    b[i * bits / 8 + bit / 8] ^= (byte) (1 << (bit % 8));
                }
            }
        } else {
            r.nextBytes(b);
        }
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = idBase + 3L * i + (i % 7);
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        return BinaryCodes.fromPackedBytes(b, bits, BitOrder.BIG, ids);
    }

    static HammingIndex index(String type, int bits) {
        return type.equals("flat") ? new FlatIndex(bits) : new MultiIndexHashing(bits);
    }

    /** Brute force: all (distance, id) pairs sorted. */
    static long[][] reference(BinaryCodes db, BinaryCodes queries, int q) {
        int n = db.size();
        long[][] pairs = new long[n][];
        for (int i = 0; i < n; i++) {
            pairs[i] = new long[] {queries.distance(q, db, i), db.id(i)};
        }
        Arrays.sort(pairs, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        return pairs;
    }

    static void assertKnn(BinaryCodes db, BinaryCodes queries, SearchResult r, int k, String what) {
        for (int q = 0; q < queries.size(); q++) {
            long[][] ref = reference(db, queries, q);
            assertEquals(Math.min(k, ref.length), r.k(), what + ": a result as wide as k or the whole index");
            for (int j = 0; j < r.k(); j++) {
                assertEquals(ref[j][1], r.id(q, j), what + ": query " + q + ", rank " + j);
                assertEquals(ref[j][0], r.distance(q, j), what + ": query " + q + ", rank " + j);
            }
        }
    }

    static void assertRange(BinaryCodes db, BinaryCodes queries, RangeResult r, int radius, String what) {
        for (int q = 0; q < queries.size(); q++) {
            long[][] ref = Arrays.stream(reference(db, queries, q)).filter(p -> p[0] <= radius).toArray(long[][]::new);
            assertEquals(ref.length, r.count(q), what + ": hits of query " + q);
            for (int j = 0; j < ref.length; j++) {
                assertEquals(ref[j][1], r.id(q, j), what + ": query " + q + ", hit " + j);
                assertEquals(ref[j][0], r.distance(q, j), what + ": query " + q + ", hit " + j);
            }
        }
    }

    @ParameterizedTest(name = "{0} bits, clustered {1}, {2}")
    @MethodSource("cases")
    void exactKnnAndRangeSearchAgainstBruteForce(int bits, boolean clustered, String type) throws IOException {
        Random r = new Random(bits * 31L + (clustered ? 1 : 0));
        BinaryCodes db = codes(2500, bits, clustered, r, 1_000_000_000_000L);
        BinaryCodes queries = codes(25, bits, clustered, r, 0);
        HammingIndex index = index(type, bits);
        // add in two batches, the second with ids interleaving the first
        int half = 1300;
        int[] first = new int[half];
        int[] second = new int[db.size() - half];
        Arrays.setAll(first, i -> i);
        Arrays.setAll(second, i -> half + i);
        index.add(db.subset(first));
        index.add(db.subset(second));
        assertEquals(2500, index.size());
        IntFunction<String> label = k -> type + " " + bits + " bits k=" + k;
        for (int k : new int[] {1, 2, 10, 57, 300, 2500, 2600}) {
            assertKnn(db, queries, index.search(queries, k), k, label.apply(k));
        }
        int maxRadius = Math.min(bits / 2, 40);
        for (int radius : new int[] {0, 1, 3, 7, maxRadius}) {
            assertRange(db, queries, index.rangeSearch(queries, radius), radius, type + " radius " + radius);
        }

        Path file = dir.resolve("index.dhi");
        IndexFile.save(file, index);
        HammingIndex loaded = IndexFile.load(file);
        assertEquals(IndexType.parse(type), loaded.type());
        assertKnn(db, queries, loaded.search(queries, 57), 57, "loaded " + type);
        assertRange(db, queries, loaded.rangeSearch(queries, 5), 5, "loaded " + type);

        long[] removed = new long[600];
        for (int i = 0; i < removed.length; i++) {
            removed[i] = db.id(i * 4);
        }
        assertEquals(600, loaded.remove(removed));
        assertEquals(0, loaded.remove(removed), "removing again removes nothing");
        int[] kept = java.util.stream.IntStream.range(0, db.size()).filter(i -> i % 4 != 0 || i / 4 >= 600).toArray();
        BinaryCodes rest = db.subset(kept);
        assertKnn(rest, queries, loaded.search(queries, 20), 20, "after removal " + type);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void emptyIndexAndDuplicateIdsAndWrongLengths(String type) {
        HammingIndex index = index(type, 64);
        BinaryCodes q = codes(3, 64, false, new Random(1), 0);
        SearchResult r = index.search(q, 4);
        assertEquals(0, r.k());
        assertEquals(0, r.ids().length);
        assertEquals(0, index.rangeSearch(q, 10).count(2));
        index.add(q);
        SearchResult huge = index.search(q, Integer.MAX_VALUE);
        assertEquals(3, huge.k(), "k beyond the index's size gives every code, without allocating k slots");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> index.add(q));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> index.add(q.withIds(new long[] {-1, 5, 6})), "-1 marks empty result slots elsewhere: never an id");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> index.search(codes(1, 128, false, new Random(2), 0), 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> index.search(q, 0));
        assertEquals(3, index.search(q, 5).count(0));
    }

    @ParameterizedTest
    @MethodSource("types")
    void storedCodesComeBackInIdOrder(String type) {
        Random r = new Random(11);
        long[] words = new long[2 * 300];
        long[] ids = new long[300];
        for (int i = 0; i < ids.length; i++) {
            words[2 * i] = r.nextLong();
            words[2 * i + 1] = r.nextLong();
            ids[i] = 1_000 - 3L * i;
        }
        BinaryCodes added = BinaryCodes.of(128, words, ids);
        HammingIndex index = Indexes.create(IndexType.parse(type), 128);
        index.add(added);
        index.remove(new long[] {1_000, 997});
        BinaryCodes all = index.codes();
        assertEquals(298, all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(1_000 - 3L * (299 - i), all.id(i), "ascending ids");
            int from = (int) ((1_000 - all.id(i)) / 3);
            assertEquals(0, all.distance(i, added, from), "the code added under that id");
        }
        BinaryCodes some = index.codesOf(new long[] {994, 5, 1_000, 991});
        assertArrayEquals(new long[] {991, 994}, some.ids(), "absent ids are left out");
        assertEquals(0, some.distance(1, added, 2));
    }

    static Stream<String> types() {
        return Stream.of("flat", "mih");
    }
}
