package org.deephash4j.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.index.FlatIndex;
import org.deephash4j.index.SearchResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServedIndexTest {

    @TempDir
    Path dir;

    private static BinaryCodes code(long word, long id) {
        return BinaryCodes.of(64, new long[] {word}, new long[] {id});
    }

    /** The truth: a flat index over the items the model says are present. */
    private static void assertSameAsFlat(ServedIndex index, Map<Long, Long> truth, Random r, String when) {
        FlatIndex flat = new FlatIndex(64);
        long[] ids = truth.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        long[] words = java.util.Arrays.stream(ids).map(truth::get).toArray();
        flat.add(BinaryCodes.of(64, words, ids));
        assertEquals(truth.size(), index.size(), when);
        for (int q = 0; q < 5; q++) {
            BinaryCodes query = code(r.nextLong(), 0);
            int k = 1 + r.nextInt(40);
            SearchResult want = flat.search(query, k);
            List<Hit> got = index.view().search(query, k, Set.of());
            assertEquals(want.k(), got.size(), when);
            for (int j = 0; j < got.size(); j++) {
                assertEquals(want.id(0, j), got.get(j).id(), when + " rank " + j);
                assertEquals(want.distance(0, j), got.get(j).distance(), when);
            }
            int radius = 20 + r.nextInt(10);
            var range = flat.rangeSearch(query, radius);
            List<Hit> within = index.view().within(query, radius, Set.of(), Integer.MAX_VALUE);
            assertEquals(range.count(0), within.size(), when + " radius " + radius);
        }
    }

    @Test
    void thumbnailsAreKnownWithoutAFileCheckAndSurviveARestart() throws IOException {
        Path folder = dir.resolve("pics");
        ServedIndex index = ServedIndex.create(folder, new ServedIndex.Settings("pics", 64, "flat", null));
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3};
        index.put(List.of(new Item(7, List.of(), Map.of()), new Item(1234567890123L, List.of(), Map.of())),
                BinaryCodes.of(64, new long[] {1, 2}, new long[] {7, 1234567890123L}), false, Map.of(7L, jpeg, 1234567890123L, jpeg));
        index.put(List.of(new Item(8, List.of(), Map.of())), code(3, 8), false);
        assertTrue(index.thumbnail(7).isPresent() && index.thumbnail(1234567890123L).isPresent());
        assertFalse(index.thumbnail(8).isPresent(), "an item added by code has no thumbnail");
        assertFalse(index.thumbnail(9).isPresent(), "no item, no thumbnail");
        Files.writeString(folder.resolve("thumbs").resolve("notes.txt"), "a stray file");
        index.close();
        index = ServedIndex.open(folder);
        assertEquals(jpeg.length, Files.size(index.thumbnail(7).orElseThrow()), "the thumbnail is found after a restart");
        assertTrue(index.thumbnail(1234567890123L).isPresent(), "ids beyond int too");
        assertTrue(index.delete(7));
        assertFalse(index.thumbnail(7).isPresent());
        assertFalse(Files.exists(folder.resolve("thumbs").resolve("7.jpg")));
        index.put(List.of(new Item(7, List.of(), Map.of())), code(4, 7), false);
        assertFalse(index.thumbnail(7).isPresent(), "a deleted item added again by code has no thumbnail");
        index.close();
    }

    @Test
    void writesSearchesRestartsAndSnapshotsAgreeWithAFlatIndexOfThePresentItems() throws IOException {
        Random r = new Random(3);
        Path folder = dir.resolve("photos");
        Map<Long, Long> truth = new HashMap<>();
        ServedIndex index = ServedIndex.create(folder, new ServedIndex.Settings("photos", 64, "flat", null));
        for (int round = 0; round < 6; round++) {
            for (int i = 0; i < 400; i++) {
                long id = r.nextInt(1500);
                if (r.nextInt(5) == 0) {
                    assertEquals(truth.remove(id) != null, index.delete(id));
                } else {
                    long w = r.nextLong();
                    index.put(List.of(new Item(id, List.of((int) (id % 4)), Map.of())), code(w, id), true);
                    truth.put(id, w);
                }
            }
            assertSameAsFlat(index, truth, r, "round " + round);
            if (round == 2) {
                index.snapshot();
                assertEquals(1, index.stats().generation());
                assertEquals(0, index.stats().logRecords());
            }
            if (round % 2 == 1) {
                // reopen without a clean close: the log is replayed (what kill -9 leaves)
                index = ServedIndex.open(folder);
                assertSameAsFlat(index, truth, r, "reopened after round " + round);
            }
        }
        index.close();
        ServedIndex again = ServedIndex.open(folder);
        assertEquals(0, again.stats().logRecords(), "a clean close snapshots");
        assertSameAsFlat(again, truth, r, "after a clean close");
        long some = truth.keySet().iterator().next();
        assertEquals(List.of((int) (some % 4)), again.get(some).orElseThrow().item().labels());
        assertEquals(truth.get(some), again.get(some).orElseThrow().code().words()[0]);
        try (var files = Files.list(folder)) {
            assertEquals(List.of("commit", "index.json", "snapshot-2.dhi", "snapshot-2.items", "wal-2.log"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "one generation left");
        }
    }

    @Test
    void labelFiltersAddsWithoutUpsertAndBadInput() throws IOException {
        ServedIndex index = ServedIndex.create(dir.resolve("x"), new ServedIndex.Settings("x", 64, "mih", null));
        List<Item> items = new ArrayList<>();
        long[] words = new long[100];
        long[] ids = new long[100];
        for (int i = 0; i < 100; i++) {
            items.add(new Item(i, List.of(i % 10), Map.of("name", "n" + i)));
            words[i] = i;
            ids[i] = i;
        }
        index.put(items, BinaryCodes.of(64, words, ids), false);
        List<Hit> sevens = index.view().search(code(0, 0), 5, Set.of(7));
        // codes are the ids themselves: distance to 0 is the popcount; label 7 holds 7, 17, ..., 97
        assertEquals(List.of(17L, 7L, 37L, 67L, 97L), sevens.stream().map(Hit::id).toList());
        assertEquals("n17", index.item(17).metadata().get("name"));
        String conflict = assertThrows(IllegalStateException.class,
                () -> index.put(List.of(Item.bare(3), Item.bare(500)), BinaryCodes.of(64, new long[] {1, 2}, new long[] {3, 500}),
                        false)).getMessage();
        assertTrue(conflict.contains("item 3 already exists"), conflict);
        assertFalse(index.contains(500), "all or nothing");
        assertThrows(IllegalArgumentException.class, () -> index.put(List.of(Item.bare(9)), BinaryCodes.of(128, new long[] {1, 2},
                new long[] {9}), true));
        assertThrows(IllegalArgumentException.class, () -> new ServedIndex.Settings("../etc", 64, "flat", null));
        assertThrows(IllegalArgumentException.class, () -> new Item(-1, List.of(), Map.of()));
        index.close();
    }
}
