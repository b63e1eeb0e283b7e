package org.deephash4j.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.deephash4j.hash.HashModels;
import org.deephash4j.io.MalformedFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files over 2 GiB, made sparse so that they cost no disk: a valid code file is read (no single array
 * as large as the file), and a model file of 3 GB is refused before it is read.
 */
class LargeFilesTest {

    @TempDir
    Path dir;

    @Test
    void aCodeFileWhoseBodyIsOver2GiBIsRead() throws IOException {
        assumeTrue(Runtime.getRuntime().maxMemory() > (3L << 30), "needs a heap of 3 GiB for 2 x 1 GiB of codes and ids");
        int n = (1 << 27) + 1000;
        long body = 16L * n;
        assertTrue(body > Integer.MAX_VALUE);
        Path f = dir.resolve("big.dhc");
        ByteBuffer header = ByteBuffer.allocate(CodeFile.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(CodeFile.MAGIC).putInt(CodeFile.VERSION).putInt(8).putLong(n).putLong(0);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 8, CodeFile.HEADER_BYTES - 8);
        byte[] zeros = new byte[1 << 20];
        for (long left = body; left > 0; left -= zeros.length) {
            crc.update(zeros, 0, (int) Math.min(zeros.length, left));
        }
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write(header.array());
            raf.setLength(CodeFile.HEADER_BYTES + body + 8);
            raf.seek(CodeFile.HEADER_BYTES + body);
            raf.writeInt(Integer.reverseBytes((int) crc.getValue()));
            raf.write(CodeFile.END);
        }
        BinaryCodes codes = CodeFile.read(f);
        assertEquals(n, codes.size());
        assertEquals(0, codes.id(n - 1));
        assertEquals(0, codes.distance(n - 1, codes, 0));
    }

    @Test
    void aModelFileOfThreeGigabytesIsRefusedWithoutReadingIt() throws IOException {
        Path f = dir.resolve("huge.dhm");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write("DH4JMODL".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            raf.setLength(3_000_000_000L);
        }
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> HashModels.read(f));
        assertTrue(e.getMessage().contains("huge.dhm") && e.getMessage().contains("3000000000 bytes"), e.getMessage());
    }
}
