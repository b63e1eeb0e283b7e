package org.deephash4j.index;

import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.io.ChecksummedOutput;
import org.deephash4j.io.MalformedFileException;

/**
 * One table of {@link MultiIndexHashing}: the codes grouped into buckets by the value of one substring
 * (bits {@code [start, start + length)}), with a bucket directory, the codes' positions in bucket order
 * and the full codes in bucket order, so verifying a bucket is a sequential scan. Short substrings
 * index a dense directory by value; long ones map value to bucket in a primitive hash map.
 *
 * <p>A table is built from the codes, or mapped from an index file, where it is stored as:
 * <pre>
 * 0   4        kind: 0 dense directory, 1 hashed
 * 4   4        first bit of the substring
 * 8   4        substring length in bits
 * 12  4        directory entries B: 2^length (dense) or the number of buckets (hashed)
 * 16  4B       hashed only: the substring value of each bucket
 * ..  4(B+1)   where each bucket starts in bucket order; the last entry is n
 * ..           zero padding to a multiple of 8
 * ..  4n       position of each code in bucket order (a permutation of 0 .. n-1); padding to 8
 * ..  8n wpc   the codes' words in bucket order
 * </pre>
 */
final class SubstringTable {

    private static final int DENSE = 0;
    private static final int HASHED = 1;
    /** The longest substring given a dense directory (2^26 + 1 ints, 256 MiB). */
    private static final int MAX_DENSE_LENGTH = 26;
    private static final java.lang.foreign.ValueLayout.OfLong WORD =
            java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    final int start;
    final int length;
    private final int word0;
    private final int shift0;
    private final long mask0;
    private final int word1;
    private final long mask1;
    private final int bits0;
    /** Bucket starts: indexed by substring value (dense) or by bucket number (hashed). */
    private IntColumn starts;
    /** Hashed only: bucket number of each substring value, and the value of each bucket. */
    private Int2IntOpenHashMap buckets;
    private IntColumn keys;
    /** Position of each code in bucket order. */
    IntColumn positions;
    /** The codes in bucket order. */
    CodeStore codes;

    private SubstringTable(int start, int length) {
        this.start = start;
        this.length = length;
        this.word0 = start >>> 6;
        this.shift0 = start & 63;
        this.bits0 = Math.min(length, 64 - shift0);
        this.mask0 = (bits0 == 64 ? -1L : (1L << bits0) - 1) << shift0;
        int rest = length - bits0;
        this.word1 = rest > 0 ? word0 + 1 : -1;
        this.mask1 = rest > 0 ? (1L << rest) - 1 : 0;
    }

    /** First bit of substring {@code j} when {@code bits} are split into {@code m} near-equal substrings. */
    static int startOf(int bits, int m, int j) {
        return j * (bits / m) + Math.min(j, bits % m);
    }

    /** Length of substring {@code j} when {@code bits} are split into {@code m} near-equal substrings. */
    static int lengthOf(int bits, int m, int j) {
        return bits / m + (j < bits % m ? 1 : 0);
    }

    /** The table of substring {@code [start, start + length)} over the {@code n} codes of {@code store}. */
    static SubstringTable build(int start, int length, CodeStore store, int n) {
        SubstringTable t = new SubstringTable(start, length);
        int wpc = store.wordsPerCode;
        int[] keys = new int[n];
        for (int i = 0; i < n; i++) {
            keys[i] = t.key(store, i);
        }
        int[] slot = new int[n];
        int[] startArray;
        if (length <= MAX_DENSE_LENGTH && (1L << length) <= Math.max(8L * n, 1 << 16)) {
            startArray = new int[(1 << length) + 1];
            for (int k : keys) {
                startArray[k + 1]++;
            }
            for (int k = 1; k < startArray.length; k++) {
                startArray[k] += startArray[k - 1];
            }
            int[] next = java.util.Arrays.copyOf(startArray, startArray.length - 1);
            for (int i = 0; i < n; i++) {
                slot[i] = next[keys[i]]++;
            }
        } else {
            Int2IntOpenHashMap map = new Int2IntOpenHashMap();
            map.defaultReturnValue(-1);
            int count = 0;
            int[] bucketOf = new int[n];
            int[] bucketKeys = new int[n];
            for (int i = 0; i < n; i++) {
                int b = map.putIfAbsent(keys[i], count);
                if (b == -1) {
                    b = count;
                    bucketKeys[count++] = keys[i];
                }
                bucketOf[i] = b;
            }
            startArray = new int[count + 1];
            for (int b : bucketOf) {
                startArray[b + 1]++;
            }
            for (int b = 1; b <= count; b++) {
                startArray[b] += startArray[b - 1];
            }
            int[] next = java.util.Arrays.copyOf(startArray, count);
            for (int i = 0; i < n; i++) {
                slot[i] = next[bucketOf[i]]++;
            }
            t.buckets = map;
            t.keys = IntColumn.of(java.util.Arrays.copyOf(bucketKeys, count));
        }
        int[] positions = new int[n];
        long[] codes = new long[n * wpc];
        for (int i = 0; i < n; i++) {
            int s = slot[i];
            positions[s] = i;
            for (int w = 0; w < wpc; w++) {
                codes[s * wpc + w] = store.word(i, w);
            }
        }
        t.starts = IntColumn.of(startArray);
        t.positions = IntColumn.of(positions);
        t.codes = new CodeStore.Heap(codes, wpc);
        return t;
    }

    int key(long[] w, int off) {
        long k = (w[off + word0] & mask0) >>> shift0;
        if (word1 >= 0) {
            k |= (w[off + word1] & mask1) << bits0;
        }
        return (int) k;
    }

    private int key(CodeStore store, int position) {
        long k = (store.word(position, word0) & mask0) >>> shift0;
        if (word1 >= 0) {
            k |= (store.word(position, word1) & mask1) << bits0;
        }
        return (int) k;
    }

    /** Substring distance between the code at {@code c[off..]} and the query at {@code q[qOff..]}. */
    int distance(long[] c, int off, long[] q, int qOff) {
        int d = Long.bitCount((c[off + word0] ^ q[qOff + word0]) & mask0);
        if (word1 >= 0) {
            d += Long.bitCount((c[off + word1] ^ q[qOff + word1]) & mask1);
        }
        return d;
    }

    /** Bucket range of substring value {@code key} as {@code from << 32 | to}, or -1 if empty. */
    long bucket(int key) {
        int i = buckets == null ? key : buckets.get(key);
        if (i < 0) {
            return -1;
        }
        int from = starts.get(i);
        int to = starts.get(i + 1);
        return from == to ? -1 : (long) from << 32 | to;
    }

    long heapBytes() {
        long b = positions.heapBytes() + codes.heapBytes() + starts.heapBytes();
        if (buckets != null) {
            b += keys.heapBytes() + 12L * buckets.size();
        }
        return b;
    }

    /** Writes the table in the layout of the class comment; the output must be 8-byte aligned. */
    void writeTo(ChecksummedOutput out) throws IOException {
        assert out.position() % 8 == 0;
        int entries = starts.size() - 1;
        out.putInt(buckets == null ? DENSE : HASHED).putInt(start).putInt(length).putInt(entries);
        if (buckets != null) {
            putAll(out, keys);
        }
        putAll(out, starts);
        out.pad(8);
        putAll(out, positions);
        out.pad(8);
        int n = positions.size();
        for (int i = 0; i < n; i++) {
            for (int w = 0; w < codes.wordsPerCode; w++) {
                out.putLong(codes.word(i, w));
            }
        }
    }

    private static void putAll(ChecksummedOutput out, IntColumn column) throws IOException {
        for (int i = 0; i < column.size(); i++) {
            out.putInt(column.get(i));
        }
    }

    /** Bytes the table takes in a file, from {@link #writeTo}. */
    long fileBytes() {
        return fileBytes(buckets != null, starts.size() - 1, positions.size(), codes.wordsPerCode);
    }

    private static long fileBytes(boolean hashed, int entries, int n, int wpc) {
        long directory = 16 + 4L * (hashed ? entries : 0) + 4L * (entries + 1);
        return pad8(directory) + pad8(4L * n) + 8L * n * wpc;
    }

    /**
     * Bytes of table {@code j} stored at {@code offset}, from its header alone, so the file's length can be
     * checked before its checksum; refuses an unknown kind or a table running past {@code limit}.
     */
    static long storedBytes(Path file, MemorySegment seg, long offset, long limit, int j, int n, int wpc)
            throws MalformedFileException {
        if (limit - offset < 16) {
            throw new MalformedFileException(file, "truncated: table " + j + " has no header");
        }
        int kind = seg.get(IntColumn.INT, offset);
        int entries = seg.get(IntColumn.INT, offset + 12);
        if ((kind != DENSE && kind != HASHED) || entries < 0 || entries > Math.max(n, 1 << MAX_DENSE_LENGTH)) {
            throw new MalformedFileException(file, "table " + j + ": bad header (kind " + kind + ", " + entries + " entries)");
        }
        long bytes = fileBytes(kind == HASHED, entries, n, wpc);
        if (bytes > limit - offset) {
            throw new MalformedFileException(file, "truncated: table " + j + " needs " + bytes + " bytes, " + (limit - offset)
                    + " remain");
        }
        return bytes;
    }

    private static long pad8(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /**
     * Maps table {@code j} (substring {@code [start, start + length)}) of an index of {@code n} codes of
     * {@code bits} bits from {@code seg} at {@code offset}, not beyond {@code limit}. Checks everything a
     * search relies on not to fail: kind, substring, directory size and order, positions in range and
     * distinct, no bits set past the code length. That the stored codes are the index's codes, regrouped, is the file checksum's to guard.
     */
    static SubstringTable map(Path file, MemorySegment seg, long offset, long limit, int j, int start, int length, int n,
            int bits) throws MalformedFileException {
        int wpc = BinaryCodes.wordsFor(bits);
        String where = "table " + j + ": ";
        storedBytes(file, seg, offset, limit, j, n, wpc);
        int kind = seg.get(IntColumn.INT, offset);
        int storedStart = seg.get(IntColumn.INT, offset + 4);
        int storedLength = seg.get(IntColumn.INT, offset + 8);
        int entries = seg.get(IntColumn.INT, offset + 12);
        if (storedStart != start || storedLength != length) {
            throw new MalformedFileException(file, where + "substring of bits [" + storedStart + ", +" + storedLength
                    + ") where the header's split gives [" + start + ", +" + length + ")");
        }
        boolean hashed;
        if (kind == DENSE) {
            if (length > MAX_DENSE_LENGTH || entries != 1 << length) {
                throw new MalformedFileException(file, where + "a dense directory of " + entries + " entries for a "
                        + length + "-bit substring");
            }
            hashed = false;
        } else if (kind == HASHED) {
            if (entries < 0 || entries > n || (n > 0 && entries == 0)) {
                throw new MalformedFileException(file, where + entries + " buckets for " + n + " codes");
            }
            hashed = true;
        } else {
            throw new MalformedFileException(file, where + "unknown kind " + kind);
        }
        SubstringTable t = new SubstringTable(start, length);
        long at = offset + 16;
        long keyBytes = hashed ? 4L * entries : 0;
        long directoryEnd = offset + pad8(16 + keyBytes + 4L * (entries + 1));
        long positionsEnd = directoryEnd + pad8(4L * n);
        long end = offset + storedBytes(file, seg, offset, limit, j, n, wpc);
        if (hashed) {
            t.keys = IntColumn.mapped(seg, at, entries);
            t.buckets = new Int2IntOpenHashMap(entries);
            t.buckets.defaultReturnValue(-1);
            long valueLimit = length >= 32 ? 1L << 32 : 1L << length;
            for (int b = 0; b < entries; b++) {
                int key = t.keys.get(b);
                if (Integer.toUnsignedLong(key) >= valueLimit || t.buckets.putIfAbsent(key, b) != -1) {
                    throw new MalformedFileException(file, where + "bucket " + b + " has value " + Integer.toUnsignedString(key)
                            + ", repeated or too large for " + length + " bits");
                }
            }
            at += keyBytes;
        }
        t.starts = IntColumn.mapped(seg, at, entries + 1);
        int previous = 0;
        for (int i = 0; i <= entries; i++) {
            int s = t.starts.get(i);
            boolean emptyBucket = hashed && i > 0 && s == previous;
            if (s < previous || s > n || (i == 0 && s != 0) || (i == entries && s != n) || emptyBucket) {
                throw new MalformedFileException(file, where + "bucket start " + i + " is " + s
                        + " (starts must rise from 0 to " + n + (hashed ? ", no bucket empty" : "") + ")");
            }
            previous = s;
        }
        t.positions = IntColumn.mapped(seg, directoryEnd, n);
        long[] seen = new long[(n + 63) >>> 6];
        for (int i = 0; i < n; i++) {
            int p = t.positions.get(i);
            if (p < 0 || p >= n || (seen[p >>> 6] & 1L << p) != 0) {
                throw new MalformedFileException(file, where + "entry " + i + " holds position " + p
                        + ", out of range or repeated (" + n + " codes)");
            }
            seen[p >>> 6] |= 1L << p;
        }
        MemorySegment codeSegment = seg.asSlice(positionsEnd, 8L * n * wpc);
        long bad = BinaryCodes.firstWithPaddingSet(bits, n, i -> codeSegment.getAtIndex(WORD, i * wpc + wpc - 1));
        if (bad >= 0) {
            throw new MalformedFileException(file, where + "the code at entry " + bad + " has bits set past its length of " + bits);
        }
        t.codes = new CodeStore.Mapped(codeSegment, n, wpc);
        assert t.fileBytes() == end - offset;
        return t;
    }
}
