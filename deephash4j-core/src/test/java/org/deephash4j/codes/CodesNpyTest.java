package org.deephash4j.codes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.io.Npy;
import org.deephash4j.io.NpyArray;
import org.deephash4j.io.NpyType;
import org.deephash4j.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the fixtures written by {@code fixtures/npy/make_fixtures.py} with numpy.packbits. */
class CodesNpyTest {

    @TempDir
    Path dir;

    /** The pattern the fixture script used: bit[i, j] = ((7i + 3j) mod 5) < 2. */
    static boolean expectedBit(int i, int j) {
        return (7 * i + 3 * j) % 5 < 2;
    }

    static void assertPattern(BinaryCodes c) {
        assertEquals(5, c.size());
        assertEquals(24, c.bits());
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 24; j++) {
                assertEquals(expectedBit(i, j), c.bit(i, j), "code " + i + " bit " + j);
            }
        }
    }

    @Test
    void readsNumpyPackbitsBigOrder() throws IOException {
        BinaryCodes c = CodesNpy.readPacked(Fixtures.npy("packbits_big.npy"), BitOrder.BIG);
        assertPattern(c);
        assertEquals(0xA5, c.toPackedBytes(BitOrder.BIG)[0] & 0xFF);
    }

    @Test
    void readsNumpyPackbitsLittleOrder() throws IOException {
        assertPattern(CodesNpy.readPacked(Fixtures.npy("packbits_little.npy"), BitOrder.LITTLE));
    }

    @Test
    void readsSignMatricesInt8AndFloat() throws IOException {
        assertPattern(CodesNpy.readSigns(Fixtures.npy("signs_int8.npy")));
        assertPattern(CodesNpy.readSigns(Fixtures.npy("signs_float32.npy")));
        assertPattern(CodesNpy.read(Fixtures.npy("signs_int8.npy"), BitOrder.BIG));
    }

    @Test
    void writtenPackedFileIsByteIdenticalToNumpys() throws IOException {
        BinaryCodes c = CodesNpy.readPacked(Fixtures.npy("packbits_big.npy"), BitOrder.BIG);
        Path out = dir.resolve("p.npy");
        CodesNpy.writePacked(out, c, BitOrder.BIG);
        assertEquals(Npy.read(Fixtures.npy("packbits_big.npy")), Npy.read(out));
        CodesNpy.writeSigns(out, c);
        assertEquals(Npy.read(Fixtures.npy("signs_int8.npy")), Npy.read(out));
    }

    @Test
    void signValuesOtherThanPlusMinusOneAreRefused() throws IOException {
        Path f = dir.resolve("bad.npy");
        Npy.write(f, NpyArray.ofBytes(NpyType.INT8, new byte[] {1, -1, 0, 1, 1, 1, 1, 1}, 1, 8));
        assertThrows(MalformedFileException.class, () -> CodesNpy.readSigns(f));
    }

    @Test
    void packedMustBeTwoDimensionalUint8() throws IOException {
        Path f = dir.resolve("bad.npy");
        Npy.write(f, NpyArray.ofFloats(new float[] {1, 2}, 2));
        assertThrows(MalformedFileException.class, () -> CodesNpy.readPacked(f, BitOrder.BIG));
        assertArrayEquals(new int[] {2}, Npy.read(f).shape());
    }
}
