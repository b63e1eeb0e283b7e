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

    /** 4,000 codes in 200 tight clusters, so substring buckets hold many codes. */
    static BinaryCodes clustered(long seed) {
        Random r = new Random(seed);
        long[] centres = r.longs(200).toArray();
        long[] w = new long[4000];
        long[] ids = new long[w.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = centres[r.nextInt(centres.length)] ^ (1L << r.nextInt(64)) ^ (1L << r.nextInt(64));
            ids[i] = 3L * i + 7;
        }
        return BinaryCodes.of(64, w, ids);
    }

    @Test
    void storedTablesAreMappedAndAnswerAsTheFlatScan() throws IOException {
        BinaryCodes codes = clustered(5);
        FlatIndex flat = new FlatIndex(64);
        flat.add(codes);
        BinaryCodes queries = clustered(6).subset(new int[] {0, 1, 2, 3, 500, 999, 3999});
        // 4 substrings of 16 bits use dense directories, 2 of 32 bits hashed buckets
        for (int m : new int[] {4, 2}) {
            MultiIndexHashing built = new MultiIndexHashing(64, m);
            built.add(codes);
            Path f = dir.resolve("t" + m + ".dhi");
            IndexFile.save(f, built);
            MultiIndexHashing loaded = (MultiIndexHashing) IndexFile.load(f);
            assertEquals(m, loaded.substrings());
            assertTrue(loaded.heapBytes() < 200_000 + (m == 2 ? 12L * 4000 * 2 * 2 : 0),
                    "tables are mapped, not built: " + loaded.heapBytes() + " bytes vs " + built.heapBytes() + " built");
            for (int k : new int[] {1, 10, 300}) {
                SearchResult want = flat.search(queries, k);
                SearchResult got = loaded.search(queries, k);
                assertEquals(Arrays.toString(want.ids()), Arrays.toString(got.ids()), "m=" + m + " k=" + k);
                assertEquals(Arrays.toString(want.distances()), Arrays.toString(got.distances()));
            }
            for (int radius : new int[] {0, 3, 12}) {
                RangeResult want = flat.rangeSearch(queries, radius);
                RangeResult got = loaded.rangeSearch(queries, radius);
                assertEquals(Arrays.toString(want.lims()), Arrays.toString(got.lims()), "m=" + m + " radius=" + radius);
                assertEquals(Arrays.toString(want.ids()), Arrays.toString(got.ids()));
                assertEquals(Arrays.toString(want.distances()), Arrays.toString(got.distances()));
            }
            loaded.add(random(10, 9, false));
            assertEquals(codes.size() + 10, loaded.size(), "a loaded index still takes additions");
        }
    }

    /** The file with its checksum recomputed, as a crafted or buggy writer would leave it. */
    private static byte[] withValidChecksum(byte[] b) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b, 8, b.length - 16);
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(b.length - 8, (int) crc.getValue());
        return b;
    }

    /** {@code codes} in a 4-substring multi-index hashing index saved as {@code name}. */
    private Path savedMih(BinaryCodes codes, String name) throws IOException {
        MultiIndexHashing index = new MultiIndexHashing(64, 4);
        index.add(codes);
        Path f = dir.resolve(name);
        IndexFile.save(f, index);
        return f;
    }

    @Test
    void versionOneFilesWithoutTablesStillLoad() throws IOException {
        BinaryCodes codes = clustered(7);
        Path f = savedMih(codes, "v2.dhi");
        HammingIndex index = IndexFile.load(f);
        byte[] v2 = Files.readAllBytes(f);
        int codesEnd = IndexFile.HEADER + 16 * codes.size();
        byte[] v1 = new byte[codesEnd + 8];
        System.arraycopy(v2, 0, v1, 0, codesEnd);
        System.arraycopy(v2, v2.length - 4, v1, v1.length - 4, 4);
        v1[8] = 1;
        Path old = dir.resolve("v1.dhi");
        Files.write(old, withValidChecksum(v1));
        HammingIndex loaded = IndexFile.load(old);
        BinaryCodes q = codes.subset(new int[] {3, 4, 5});
        assertEquals(Arrays.toString(index.search(q, 20).ids()), Arrays.toString(loaded.search(q, 20).ids()));
        assertEquals(4, ((MultiIndexHashing) loaded).substrings());
    }

    @Test
    void aBrokenTableUnderAValidChecksumIsRefusedNamingIt() throws IOException {
        BinaryCodes codes = clustered(8);
        Path f = savedMih(codes, "m.dhi");
        byte[] good = Files.readAllBytes(f);
        int n = codes.size();
        int table0 = IndexFile.HEADER + 16 * n;
        int positions0 = table0 + 16 + 4 * ((1 << 16) + 1) + 4;
        var le = java.nio.ByteOrder.LITTLE_ENDIAN;
        int first = java.nio.ByteBuffer.wrap(good).order(le).getInt(positions0);
        assertTrue(first >= 0 && first < n, "the test finds table 0's positions: " + first);

        refusedNaming(f, withInt(good, positions0, n + 5), "table 0", "position " + (n + 5));
        int second = java.nio.ByteBuffer.wrap(good).order(le).getInt(positions0 + 4);
        assertTrue(second != first);
        refusedNaming(f, withInt(good, positions0 + 4, first), "table 0", "repeated");
        refusedNaming(f, withInt(good, table0 + 16 + 4 * 100, n + 1), "table 0", "bucket start 100");
        refusedNaming(f, withInt(good, table0 + 8, 17), "table 0", "substring");
    }

    /** A copy of {@code file} with the int at {@code offset} replaced and the checksum made valid again. */
    private static byte[] withInt(byte[] file, int offset, int value) {
        byte[] b = file.clone();
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return withValidChecksum(b);
    }

    private static void refusedNaming(Path f, byte[] content, String... fragments) throws IOException {
        Files.write(f, content);
        String message = assertThrows(MalformedFileException.class, () -> IndexFile.load(f)).getMessage();
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), message);
        }
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
