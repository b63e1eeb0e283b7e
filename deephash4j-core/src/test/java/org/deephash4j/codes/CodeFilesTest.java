package org.deephash4j.codes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.io.Npy;
import org.deephash4j.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy codes keep their item ids in a companion vector; a companion that does not fit is refused by name. */
class CodeFilesTest {

    @TempDir
    Path dir;

    private static BinaryCodes codes() {
        float[] signs = new float[3 * 16];
        for (int i = 0; i < signs.length; i++) {
            signs[i] = (i * 7) % 5 - 2;
        }
        return BinaryCodes.fromSigns(signs, 16, new long[] {40, 7, 1_000_000_000_000L});
    }

    @Test
    void npyCodesRoundTripWithTheirIds() throws IOException {
        Path file = dir.resolve("codes.npy");
        CodeFiles.write(file, codes(), BitOrder.BIG);
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("codes.ids.npy")));
        BinaryCodes back = CodeFiles.read(file, BitOrder.BIG);
        assertArrayEquals(codes().ids(), back.ids());
        assertArrayEquals(codes().words(), back.words());
    }

    @Test
    void npyCodesWithoutCompanionAreNumberedAndAWrongCompanionIsRefused() throws IOException {
        Path file = dir.resolve("plain.npy");
        CodesNpy.writePacked(file, codes(), BitOrder.BIG);
        assertArrayEquals(new long[] {0, 1, 2}, CodeFiles.read(file, BitOrder.BIG).ids());
        Npy.write(dir.resolve("plain.ids.npy"), NpyArray.ofLongs(new long[] {1, 2}, 2));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CodeFiles.read(file, BitOrder.BIG));
        assertTrue(e.getMessage().contains("plain.ids.npy") && e.getMessage().contains("int64 vector of 3"), e.getMessage());
    }
}
