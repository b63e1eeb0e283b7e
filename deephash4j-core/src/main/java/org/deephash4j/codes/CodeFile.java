package org.deephash4j.codes;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.deephash4j.io.AtomicFiles;
import org.deephash4j.io.ChecksummedOutput;
import org.deephash4j.io.FileChannels;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.io.Sizes;

/**
 * deephash4j's own code file ({@code .dhc}): everything needed to use a set of codes, checked on
 * reading. All numbers are little-endian.
 *
 * <pre>
 * offset  size            field
 * 0       8               magic "DH4JCODE"
 * 8       4               format version (1)
 * 12      4               bits per code
 * 16      8               number of codes n
 * 24      8               reserved (0)
 * 32      8 n             item ids (int64)
 * ..      8 n ceil(b/64)  packed code words (layout of {@link BinaryCodes})
 * end-8   4               CRC32C of every byte from offset 8 up to here
 * end-4   4               end marker "DHCE"
 * </pre>
 *
 * Files are written atomically, so a crash never leaves a half-written file behind.
 */
public final class CodeFile {

    /** The usual file name extension. */
    public static final String EXTENSION = ".dhc";
    static final byte[] MAGIC = "DH4JCODE".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = "DHCE".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER_BYTES = 32;

    private CodeFile() {
    }

    /** Writes {@code codes} to {@code file}, replacing it atomically. */
    public static void write(Path file, BinaryCodes codes) throws IOException {
        AtomicFiles.write(file, out -> writeTo(out, codes));
    }

    static void writeTo(OutputStream raw, BinaryCodes codes) throws IOException {
        ChecksummedOutput out = new ChecksummedOutput(raw, MAGIC);
        out.putInt(VERSION).putInt(codes.bits()).putLong(codes.size()).putLong(0L);
        for (int i = 0; i < codes.size(); i++) {
            out.putLong(codes.id(i));
        }
        for (long w : codes.words()) {
            out.putLong(w);
        }
        out.finish(END);
    }

    /** Reads a code file, refusing one that is truncated, corrupted or not a code file. */
    public static BinaryCodes read(Path file) throws IOException {
        try (FileChannel ch = FileChannels.openForReading(file)) {
            long size = ch.size();
            if (size < HEADER_BYTES + 8) {
                throw new MalformedFileException(file, "not a deephash4j code file (only " + size + " bytes)");
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            FileChannels.readFully(file, ch, header, 0);
            header.flip();
            byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new MalformedFileException(file, "not a deephash4j code file (wrong magic)");
            }
            int version = header.getInt();
            if (version != VERSION) {
                throw new MalformedFileException(file, "code file version " + version + " is not supported (this build reads "
                        + VERSION + ")");
            }
            int bits = header.getInt();
            long count = header.getLong();
            try {
                BinaryCodes.checkBits(bits);
            } catch (IllegalArgumentException e) {
                throw new MalformedFileException(file, "bad header: " + e.getMessage());
            }
            int wpc = BinaryCodes.wordsFor(bits);
            int n = Sizes.count(file, "code count", count, Sizes.MAX_ARRAY / wpc);
            Sizes.exactLength(file, count + " codes of " + bits + " bits", HEADER_BYTES + 8L * n * (1 + wpc) + 8, size);
            CRC32C crc = new CRC32C();
            crc.update(header.array(), MAGIC.length, HEADER_BYTES - MAGIC.length);
            long[] ids = new long[n];
            long[] words = new long[n * wpc];
            long end = FileChannels.readLongs(file, ch, FileChannels.readLongs(file, ch, HEADER_BYTES, ids, crc), words, crc);
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            FileChannels.readFully(file, ch, tail, end);
            byte[] marker = java.util.Arrays.copyOfRange(tail.array(), 4, 8);
            if (!java.util.Arrays.equals(marker, END)) {
                throw new MalformedFileException(file, "missing end marker: the file is damaged");
            }
            if (tail.getInt(0) != (int) crc.getValue()) {
                throw new MalformedFileException(file, "checksum mismatch: the file is corrupted");
            }
            try {
                return BinaryCodes.owning(bits, words, ids);
            } catch (IllegalArgumentException e) {
                throw new MalformedFileException(file, e.getMessage());
            }
        }
    }
}
