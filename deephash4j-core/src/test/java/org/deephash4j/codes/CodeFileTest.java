package org.deephash4j.codes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.deephash4j.io.AtomicFiles;
import org.deephash4j.io.MalformedFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodeFileTest {

    @TempDir
    Path dir;

    static BinaryCodes random(int n, int bits, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n * bits / 8];
        r.nextBytes(b);
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 1000L * i + 7;
        }
        return BinaryCodes.fromPackedBytes(b, bits, BitOrder.BIG, ids);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 64, 128, 200, 1024})
    void roundTripKeepsCodesAndIds(int bits) throws IOException {
        BinaryCodes c = random(37, bits, bits);
        Path f = dir.resolve("codes.dhc");
        CodeFile.write(f, c);
        BinaryCodes back = CodeFile.read(f);
        assertEquals(c, back);
        assertArrayEquals(c.ids(), back.ids());
        assertEquals(32 + 37 * 8 + 37 * 8 * ((bits + 63) / 64) + 8, Files.size(f));
    }

    @Test
    void emptyCodeSetRoundTrips() throws IOException {
        BinaryCodes c = BinaryCodes.of(64, new long[0], new long[0]);
        Path f = dir.resolve("empty.dhc");
        CodeFile.write(f, c);
        assertEquals(0, CodeFile.read(f).size());
    }

    @Test
    void truncatedFileIsRefused() throws IOException {
        Path f = dir.resolve("t.dhc");
        CodeFile.write(f, random(10, 64, 1));
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 5));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CodeFile.read(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Files.write(f, java.util.Arrays.copyOf(all, 20));
        assertThrows(MalformedFileException.class, () -> CodeFile.read(f));
    }

    @Test
    void flippedPayloadBitIsDetectedByTheChecksum() throws IOException {
        Path f = dir.resolve("c.dhc");
        CodeFile.write(f, random(10, 64, 2));
        byte[] all = Files.readAllBytes(f);
        all[32 + 80 + 3] ^= 0x10;
        Files.write(f, all);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CodeFile.read(f));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void foreignFileIsRefusedByMagic() throws IOException {
        Path f = dir.resolve("x.dhc");
        Files.writeString(f, "this is certainly not a code file at all, but it is long enough");
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CodeFile.read(f));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void unknownVersionIsRefused() throws IOException {
        Path f = dir.resolve("v.dhc");
        CodeFile.write(f, random(2, 64, 3));
        byte[] all = Files.readAllBytes(f);
        all[8] = 9;
        Files.write(f, all);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CodeFile.read(f));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    }

    @Test
    void failedWriteLeavesThePreviousFileIntactAndNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("keep.dhc");
        BinaryCodes original = random(5, 64, 4);
        CodeFile.write(f, original);
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full (simulated)");
        }));
        assertEquals(original, CodeFile.read(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "temporary file left behind");
        }
    }
}
