package org.deephash4j.index;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.io.AtomicFiles;
import org.deephash4j.io.ChecksummedOutput;
import org.deephash4j.io.FileChannels;
import org.deephash4j.io.MalformedFileException;
import org.deephash4j.io.Sizes;

/**
 * One file per index ({@code .dhi}), little-endian:
 *
 * <pre>
 * 0   8   magic "DH4JINDX"
 * 8   4   format version (2; version 1 files, without tables, are read too)
 * 12  4   type: 0 flat, 1 multi-index hashing
 * 16  4   bits
 * 20  4   substrings m (multi-index hashing; 0 for flat)
 * 24  8   number of codes n
 * 32  8   id layout: 0 = the range base .. base+n-1, 1 = listed
 * 40  8   base id (range layout)
 * 48  8n  ids, ascending (listed layout only)
 * ..      codes: n x ceil(bits/64) words, 8-byte aligned so they can be memory-mapped
 * ..      multi-index hashing only: its m tables, each as {@link SubstringTable} lays it out
 * end-8 4 CRC32C of bytes 8 .. end-9
 * end-4 4 end marker "DHIE"
 * </pre>
 *
 * Saving is atomic (a crash or a full disk leaves the previous file intact). Loading checks size and
 * checksum, then memory-maps the codes and multi-index hashing's tables instead of copying them onto the
 * heap (a version 1 file's tables are rebuilt from the codes). The tables make a multi-index hashing file
 * about 1 + 1.5 m times the size of a flat one for 64-bit codes.
 */
public final class IndexFile {

    /** The usual file name extension. */
    public static final String EXTENSION = ".dhi";
    static final byte[] MAGIC = "DH4JINDX".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = "DHIE".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    static final int HEADER = 48;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private IndexFile() {
    }

    /** Saves {@code index} (flat or multi-index hashing) to {@code file}, atomically. */
    public static void save(Path file, HammingIndex index) throws IOException {
        switch (index) {
            case MultiIndexHashing mih -> write(file, IndexType.MIH, mih.bits(), mih.codeStore(), mih.idStore(), mih.tables());
            case FlatIndex flat -> write(file, IndexType.FLAT, flat.bits(), flat.codeStore(), flat.idStore(), new SubstringTable[0]);
            default -> throw new IllegalArgumentException("cannot save a " + index.getClass().getSimpleName());
        }
    }

    private static void write(Path file, IndexType type, int bits, CodeStore codes, IdStore ids, SubstringTable[] tables)
            throws IOException {
        AtomicFiles.write(file, raw -> {
            ChecksummedOutput out = new ChecksummedOutput(raw, MAGIC);
            int n = ids.size();
            boolean range = ids instanceof IdStore.Range;
            out.putInt(VERSION).putInt(type.fileCode()).putInt(bits).putInt(tables.length).putLong(n).putLong(range ? 0 : 1)
                    .putLong(range ? (n == 0 ? 0 : ids.id(0)) : 0);
            if (!range) {
                for (int i = 0; i < n; i++) {
                    out.putLong(ids.id(i));
                }
            }
            int wpc = codes.wordsPerCode;
            for (int i = 0; i < n; i++) {
                for (int w = 0; w < wpc; w++) {
                    out.putLong(codes.word(i, w));
                }
            }
            for (SubstringTable t : tables) {
                t.writeTo(out);
            }
            out.finish(END);
        });
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
            if (version != 1 && version != VERSION) {
                throw new MalformedFileException(file, "index file version " + version + " is not supported (this build reads 1 and "
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
            if (type == IndexType.MIH) {
                try {
                    MultiIndexHashing.checkSubstrings(bits, m);
                } catch (IllegalArgumentException e) {
                    throw new MalformedFileException(file, "bad header: " + e.getMessage());
                }
                if (m == 0) {
                    throw new MalformedFileException(file, "bad header: a multi-index hashing index with 0 substrings");
                }
            }
            boolean tablesStored = type == IndexType.MIH && version >= 2;
            int wpc = BinaryCodes.wordsFor(bits);
            long idBytes = layout == 1 ? 8L * n : 0;
            long codeBytes = Sizes.product(file, "code bytes", 8L * wpc, n);
            long codesEnd = HEADER + idBytes + codeBytes;
            long tablesEnd = codesEnd;
            if (tablesStored) {
                Sizes.available(file, n + " codes of " + bits + " bits", codesEnd + 8, size);
                for (int j = 0; j < m; j++) {
                    tablesEnd += SubstringTable.storedBytes(file, seg, tablesEnd, size - 8, j, count, wpc);
                }
            }
            Sizes.exactLength(file, n + " codes of " + bits + " bits" + (tablesStored ? " and " + m + " tables" : ""),
                    tablesEnd + 8, size);
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
            if (tablesStored) {
                SubstringTable[] tables = new SubstringTable[m];
                long at = codesEnd;
                for (int j = 0; j < m; j++) {
                    tables[j] = SubstringTable.map(file, seg, at, size - 8, j, SubstringTable.startOf(bits, m, j),
                            SubstringTable.lengthOf(bits, m, j), count, bits);
                    at += tables[j].fileBytes();
                }
                assert at == tablesEnd;
                return new MultiIndexHashing(bits, codes, ids, tables);
            }
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
