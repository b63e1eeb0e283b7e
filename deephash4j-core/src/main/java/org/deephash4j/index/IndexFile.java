package org.deephash4j.index;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.io.AtomicFiles;
import org.deephash4j.io.FileChannels;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.io.Sizes;

/**
 * One file per index ({@code .dhi}), little-endian:
 *
 * <pre>
 * 0   8   magic "DH4JINDX"
 * 8   4   format version (1)
 * 12  4   type: 0 flat, 1 multi-index hashing
 * 16  4   bits
 * 20  4   substrings m (multi-index hashing; 0 for flat)
 * 24  8   number of codes n
 * 32  8   id layout: 0 = the range base .. base+n-1, 1 = listed
 * 40  8   base id (range layout)
 * 48  8n  ids, ascending (listed layout only)
 * ..      codes: n x ceil(bits/64) words, 8-byte aligned so they can be memory-mapped
 * end-8 4 CRC32C of bytes 8 .. end-9
 * end-4 4 end marker "DHIE"
 * </pre>
 *
 * Saving is atomic (a crash or a full disk leaves the previous file intact). Loading checks size and
 * checksum, then memory-maps the codes instead of copying them onto the heap; multi-index hashing
 * rebuilds its tables from them.
 */
public final class IndexFile {

    /** The usual file name extension. */
    public static final String EXTENSION = ".dhi";
    static final byte[] MAGIC = "DH4JINDX".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = "DHIE".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER = 48;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private IndexFile() {
    }

    /** Saves {@code index} (flat or multi-index hashing) to {@code file}, atomically. */
    public static void save(Path file, HammingIndex index) throws IOException {
        switch (index) {
            case MultiIndexHashing mih -> write(file, IndexType.MIH, mih.bits(), mih.substrings(), mih.codeStore(), mih.idStore());
            case FlatIndex flat -> write(file, IndexType.FLAT, flat.bits(), 0, flat.codeStore(), flat.idStore());
            default -> throw new IllegalArgumentException("cannot save a " + index.getClass().getSimpleName());
        }
    }

    private static void write(Path file, IndexType type, int bits, int m, CodeStore codes, IdStore ids) throws IOException {
        AtomicFiles.write(file, raw -> {
            CRC32C crc = new CRC32C();
            raw.write(MAGIC);
            OutputStream out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    raw.write(b);
                    crc.update(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    raw.write(b, off, len);
                    crc.update(b, off, len);
                }
            };
            int n = ids.size();
            boolean range = ids instanceof IdStore.Range;
            ByteBuffer h = ByteBuffer.allocate(HEADER - MAGIC.length).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(VERSION).putInt(type.fileCode()).putInt(bits).putInt(m).putLong(n).putLong(range ? 0 : 1)
                    .putLong(range ? (n == 0 ? 0 : ids.id(0)) : 0);
            out.write(h.array());
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            if (!range) {
                for (int i = 0; i < n; i++) {
                    put(out, chunk, ids.id(i));
                }
            }
            int wpc = codes.wordsPerCode;
            for (int i = 0; i < n; i++) {
                for (int w = 0; w < wpc; w++) {
                    put(out, chunk, codes.word(i, w));
                }
            }
            out.write(chunk.array(), 0, chunk.position());
            DataOutputStream tail = new DataOutputStream(raw);
            tail.writeInt(Integer.reverseBytes((int) crc.getValue()));
            tail.write(END);
            tail.flush();
        });
    }

    private static void put(OutputStream out, ByteBuffer chunk, long v) throws IOException {
        if (chunk.remaining() < 8) {
            out.write(chunk.array(), 0, chunk.position());
            chunk.clear();
        }
        chunk.putLong(v);
    }

    /** Loads an index file, memory-mapping its codes. */
    public static HammingIndex load(Path file) throws IOException {
        try (FileChannel ch = FileChannels.openForReading(file)) {
            long size = ch.size();
            if (size < HEADER + 8) {
                throw new MalformedFileException(file, "not a deephash4j index file (only " + size + " bytes)");
            }
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, Arena.ofAuto());
            byte[] magic = seg.asSlice(0, MAGIC.length).toArray(ValueLayout.JAVA_BYTE);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new MalformedFileException(file, "not a deephash4j index file (wrong magic)");
            }
            int version = seg.get(INT, 8);
            if (version != VERSION) {
                throw new MalformedFileException(file, "index file version " + version + " is not supported (this build reads "
                        + VERSION + ")");
            }
            int typeCode = seg.get(INT, 12);
            IndexType type = IndexType.ofFileCode(typeCode);
            int bits = seg.get(INT, 16);
            int m = seg.get(INT, 20);
            long n = seg.get(WORD, 24);
            long layout = seg.get(WORD, 32);
            long base = seg.get(WORD, 40);
            try {
                BinaryCodes.checkBits(bits);
            } catch (IllegalArgumentException e) {
                throw new MalformedFileException(file, "bad header: " + e.getMessage());
            }
            if (type == null || layout < 0 || layout > 1) {
                throw new MalformedFileException(file, "bad header (type " + typeCode + ", id layout " + layout + ")");
            }
            int count = Sizes.count(file, "code count", n, Sizes.MAX_ARRAY);
            if (type == IndexType.FLAT && m != 0) {
                throw new MalformedFileException(file, "bad header: a flat index with " + m + " substrings");
            }
            int wpc = BinaryCodes.wordsFor(bits);
            long idBytes = layout == 1 ? 8L * n : 0;
            long codeBytes = Sizes.product(file, "code bytes", 8L * wpc, n);
            Sizes.exactLength(file, n + " codes of " + bits + " bits", HEADER + idBytes + codeBytes + 8, size);
            CRC32C crc = new CRC32C();
            for (long off = MAGIC.length; off < size - 8; off += 1 << 26) {
                long len = Math.min(1 << 26, size - 8 - off);
                crc.update(seg.asSlice(off, len).asByteBuffer());
            }
            if (seg.get(INT, size - 8) != (int) crc.getValue()
                    || !java.util.Arrays.equals(seg.asSlice(size - 4, 4).toArray(ValueLayout.JAVA_BYTE), END)) {
                throw new MalformedFileException(file, "checksum mismatch: the file is corrupted");
            }
            IdStore ids;
            if (layout == 0) {
                if (base < 0 || base > Long.MAX_VALUE - count) {
                    throw new MalformedFileException(file, "bad header: ids from " + base + " for " + count
                            + " codes leave the range of non-negative 64-bit ids");
                }
                ids = new IdStore.Range(base, count);
            } else {
                long[] idArray = new long[count];
                MemorySegment.copy(seg, WORD, HEADER, idArray, 0, count);
                try {
                    ids = IdStore.of(idArray);
                } catch (IllegalArgumentException e) {
                    throw new MalformedFileException(file, e.getMessage());
                }
            }
            MemorySegment codeSegment = seg.asSlice(HEADER + idBytes, codeBytes);
            // bits set past the code length would put every distance to that code off
            long bad = BinaryCodes.firstWithPaddingSet(bits, count, i -> codeSegment.get(WORD, (i * wpc + wpc - 1) * 8));
            if (bad >= 0) {
                throw new MalformedFileException(file, "code at position " + bad + " has bits set past its length of " + bits);
            }
            CodeStore codes = new CodeStore.Mapped(codeSegment, count, wpc);
            try {
                return switch (type) {
                    case FLAT -> new FlatIndex(bits, codes, ids);
                    case MIH -> new MultiIndexHashing(bits, m, codes, ids);
                };
            } catch (IllegalArgumentException e) {
                throw new MalformedFileException(file, "bad header: " + e.getMessage());
            }
        }
    }
}
