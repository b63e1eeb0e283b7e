package org.deephash4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The .npy header is read as the literal NumPy writes, and refused where NumPy (or a duplicate key) would be. */
class NpyHeaderTest {

    private static final Path FILE = Path.of("crafted.npy");

    /** A version 1.0 file with {@code header} and the float32 values 0, 1, 2, ... for {@code count} elements. */
    static byte[] file(String header, int count) {
        int padded = (10 + header.length() + 1 + 63) / 64 * 64;
        String text = header + " ".repeat(padded - 10 - header.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(padded + 4 * count).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < count; i++) {
            b.putFloat(i);
        }
        return b.array();
    }

    private static String refused(String header, int count) {
        return assertThrows(MalformedFileException.class, () -> Npy.parse(FILE, file(header, count))).getMessage();
    }

    @Test
    void readsTheSpellingsNumpyWrites() throws IOException {
        assertArrayEquals(new int[] {6}, Npy.parse(FILE, file("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (6,)}", 6)).shape());
        assertArrayEquals(new int[] {2, 3}, Npy.parse(FILE, file("{'descr':'<f4','fortran_order':False,'shape':(2 , 3 ),}", 6)).shape());
        assertArrayEquals(new int[] {}, Npy.parse(FILE, file("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", 1)).shape());
        assertArrayEquals(new int[] {6}, Npy.parse(FILE, file("{'descr': '<f4', 'fortran_order': False, 'shape': (6L,), }", 6)).shape());
    }

    @Test
    void fortranOrderIsTransposedToCOrder() throws IOException {
        NpyArray a = Npy.parse(FILE, file("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 6));
        // NumPy reads this file as [[0, 2, 4], [1, 3, 5]].
        assertArrayEquals(new float[] {0, 2, 4, 1, 3, 5}, a.toFloatArray());
    }

    @Test
    void aDuplicateKeyIsRefusedInsteadOfTheLastOneWinning() {
        String m = refused("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), 'fortran_order': False}", 6);
        assertTrue(m.contains("crafted.npy") && m.contains("'fortran_order' appears twice"), m);
    }

    @Test
    void aDecoyInsideAStringDoesNotChangeTheOrder() throws IOException {
        // The decoy is an unknown key's value: NumPy refuses the extra key, and so does this reader.
        String m = refused("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), 'note': \"'fortran_order': False\"}", 6);
        assertTrue(m.contains("expected exactly descr, fortran_order and shape"), m);
    }

    @Test
    void whatNumpyRefusesIsRefused() {
        assertTrue(refused("{'descr': '<f4', 'fortran_order': False, 'shape': (6), }", 6).contains("shape is not a tuple"));
        assertTrue(refused("{'descr': '<f4', 'fortran_order': False, 'shape': [6], }", 6).contains("shape is not a tuple"));
        assertTrue(refused("{'descr': '<f4', 'fortran_order': 0, 'shape': (6,), }", 6).contains("not True or False"));
        assertTrue(refused("{'descr': '<f4', 'fortran_order': False, 'shape': (-6,), }", 6).contains("outside"));
        assertTrue(refused("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), } junk", 6).contains("after the dictionary"));
        assertTrue(refused("{'descr': '<f4', 'fortran_order': False, 'shape': (6,)", 6).contains("malformed .npy header"));
        assertTrue(refused("['descr', '<f4']", 6).contains("not a dictionary"));
        assertTrue(refused("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (6,), }", 6).contains("structured"));
    }

    @Test
    void craftedSizesAreRefusedBeforeAnyAllocation() {
        String m = refused("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 4), }", 0);
        assertTrue(m.contains("overflows") || m.contains("truncated"), m);
        m = refused("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }", 0);
        assertTrue(m.contains("truncated") && m.contains("80000000128"), m);
    }

    @Test
    void aHeaderLongerThanNumpyAllowsIsRefused() {
        String m = refused("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }" + " ".repeat(NpyHeader.MAX_LENGTH), 6);
        assertTrue(m.contains("header length"), m);
        assertEquals(10_000, NpyHeader.MAX_LENGTH);
    }
}
