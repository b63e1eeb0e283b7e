package org.deephash4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deephash4j.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    @Test
    void readsNumpyFloat64AndBigEndianFloat32() throws IOException {
        NpyArray a = Npy.read(Fixtures.npy("features_float64.npy"));
        assertEquals(NpyType.FLOAT64, a.type());
        assertArrayEquals(new int[] {4, 3}, a.shape());
        assertEquals(-1.0, a.getDouble(0));
        assertEquals(1.75, a.getDouble(11));
        NpyArray b = Npy.read(Fixtures.npy("features_float32_bigendian.npy"));
        assertEquals(NpyType.FLOAT32, b.type());
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
    }

    @Test
    void fortranOrderIsReadAsTheSameArrayInCOrder() throws IOException {
        NpyArray c = Npy.read(Fixtures.npy("features_float64.npy"));
        NpyArray fortran = Npy.read(Fixtures.npy("features_fortran.npy"));
        assertArrayEquals(c.shape(), fortran.shape());
        assertArrayEquals(c.toFloatArray(), fortran.toFloatArray());
    }

    @Test
    void writeThenReadRoundTripsEveryWrittenType() throws IOException {
        Path f = dir.resolve("a.npy");
        NpyArray floats = NpyArray.ofFloats(new float[] {1.5f, -2f, 0f, 3.25f, 7f, 8f}, 2, 3);
        Npy.write(f, floats);
        assertEquals(floats, Npy.read(f));
        assertEquals(0, (Files.size(f) - 24) % 64, "header is padded to 64 bytes");
        NpyArray longs = NpyArray.ofLongs(new long[] {1L << 40, -3}, 2);
        Npy.write(f, longs);
        assertEquals(longs, Npy.read(f));
        assertArrayEquals(new long[] {1L << 40, -3}, Npy.read(f).toLongArray());
        NpyArray int8 = NpyArray.ofBytes(NpyType.INT8, new byte[] {-1, 1, -128}, 3);
        Npy.write(f, int8);
        assertEquals(-128.0, Npy.read(f).getDouble(2));
    }

    @Test
    void truncatedDataIsRefused() throws IOException {
        byte[] full = Npy.toBytes(NpyArray.ofFloats(new float[] {1, 2, 3, 4}, 4));
        Path f = Files.write(dir.resolve("t.npy"), java.util.Arrays.copyOf(full, full.length - 2));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Files.write(f, java.util.Arrays.copyOf(full, 30));
        assertThrows(MalformedFileException.class, () -> Npy.read(f));
    }

    @Test
    void foreignFilesAndUnsupportedTypesAreRefused() throws IOException {
        Path f = Files.writeString(dir.resolve("x.npy"), "PK\u0003\u0004 this is a zip, not npy");
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        byte[] good = Npy.toBytes(NpyArray.ofFloats(new float[] {1}, 1));
        String text = new String(good, StandardCharsets.ISO_8859_1).replace("<f4", "<c8");
        Files.write(f, text.getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(MalformedFileException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("unsupported element type"), e.getMessage());
    }
}
