package org.deephash4j.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.io.MalformedFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexFileTest {

    @TempDir
    Path dir;

    static BinaryCodes random(int n, long seed, boolean contiguousIds) {
        Random r = new Random(seed);
        long[] w = new long[n];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            w[i] = r.nextLong();
            ids[i] = contiguousIds ? i : 5L * i + 1_000_000;
        }
        return BinaryCodes.of(64, w, ids);
    }

    @Test
    void millionCodeFlatIndexFitsTheHeapBudget() {
        FlatIndex contiguous = new FlatIndex(64);
        contiguous.add(random(1_000_000, 1, true));
        assertTrue(contiguous.heapBytes() <= 8_000_100, "contiguous ids cost nothing: " + contiguous.heapBytes());
        FlatIndex spread = new FlatIndex(64);
        spread.add(random(1_000_000, 1, false));
        assertTrue(spread.heapBytes() <= 12L * 1024 * 1024, "8 bytes a code plus 4 an id: " + spread.heapBytes());
    }

    @Test
    void loadedIndexKeepsItsCodesOffTheHeap() throws IOException {
        FlatIndex index = new FlatIndex(64);
        BinaryCodes codes = random(100_000, 2, false);
        index.add(codes);
        Path f = dir.resolve("i.dhi");
        IndexFile.save(f, index);
        HammingIndex loaded = IndexFile.load(f);
        assertTrue(loaded.heapBytes() < 500_000, "mapped codes are not on the heap: " + loaded.heapBytes());
        BinaryCodes q = codes.subset(new int[] {5, 77});
        assertEquals(Arrays.toString(index.search(q, 9).ids()), Arrays.toString(loaded.search(q, 9).ids()));
        assertEquals(codes.id(5), loaded.search(q, 1).id(0, 0));
    }

    private Path saved() throws IOException {
        MultiIndexHashing index = new MultiIndexHashing(64, 4);
        index.add(random(500, 3, false));
        Path f = dir.resolve("m.dhi");
        IndexFile.save(f, index);
        return f;
    }

    @Test
    void substringsSurviveSaveAndLoad() throws IOException {
        assertEquals(4, ((MultiIndexHashing) IndexFile.load(saved())).substrings());
    }

    @Test
    void truncatedCorruptedForeignAndFutureFilesAreRefused() throws IOException {
        Path f = saved();
        byte[] good = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(good, good.length - 3));
        assertTrue(assertThrows(MalformedFileException.class, () -> IndexFile.load(f)).getMessage().contains("truncated"));
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 4;
        Files.write(f, flipped);
        assertTrue(assertThrows(MalformedFileException.class, () -> IndexFile.load(f)).getMessage().contains("checksum"));
        Files.writeString(f, "a text file pretending to be an index, long enough to be read");
        assertTrue(assertThrows(MalformedFileException.class, () -> IndexFile.load(f)).getMessage().contains("magic"));
        byte[] future = good.clone();
        future[8] = 7;
        Files.write(f, future);
        assertTrue(assertThrows(MalformedFileException.class, () -> IndexFile.load(f)).getMessage().contains("version 7"));
    }

    @Test
    void failedSaveLeavesThePreviousIndexIntact() throws IOException {
        Path f = saved();
        byte[] before = Files.readAllBytes(f);
        Files.createDirectories(dir.resolve("blocked.dhi"));
        FlatIndex other = new FlatIndex(64);
        other.add(random(10, 4, true));
        // saving over a directory fails at the final rename; the temporary file must be cleaned up
        assertThrows(IOException.class, () -> IndexFile.save(dir.resolve("blocked.dhi"), other));
        assertEquals(Arrays.toString(before), Arrays.toString(Files.readAllBytes(f)));
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary file left behind");
        }
    }
}
