package org.deephash4j.codes;

import java.util.Arrays;

/**
 * An immutable set of binary codes of one length, packed in {@code long} words, each with a user id.
 *
 * <p><b>Sign rule.</b> A real value {@code v >= 0} becomes bit 1 and {@code v < 0} bit 0; NaN is refused.
 * In the {-1, +1} view, bit 1 is +1.
 *
 * <p><b>Layout.</b> Code {@code i} occupies {@link #wordsPerCode()} consecutive words starting at
 * {@code i * wordsPerCode()} of {@link #words()}. Code bit {@code j} lives in byte {@code j / 8}, at
 * bit {@code 7 - j % 8} of that byte (the order of {@code numpy.packbits}); bytes are little-endian
 * inside a word. Bits past the code length are zero, so XOR and popcount over whole words give the
 * Hamming distance, and a packed {@code uint8} file maps onto the words byte for byte.
 */
public final class BinaryCodes {

    /** Largest supported code length in bits. */
    public static final int MAX_BITS = 1024;

    private final int bits;
    private final int wordsPerCode;
    private final int count;
    private final long[] words;
    private final long[] ids;

    private BinaryCodes(int bits, int count, long[] words, long[] ids) {
        this.bits = bits;
        this.wordsPerCode = wordsFor(bits);
        this.count = count;
        this.words = words;
        this.ids = ids;
    }

    /**
     * Codes from packed words (copied). {@code ids} may be {@code null}, meaning ids 0..count-1.
     *
     * @throws IllegalArgumentException if the bit count is invalid, sizes disagree or padding bits are set
     */
    public static BinaryCodes of(int bits, long[] words, long[] ids) {
        return owning(bits, words.clone(), ids == null ? null : ids.clone());
    }

    /** As {@link #of}, but keeping the arrays given, which the caller must not change afterwards. */
    static BinaryCodes owning(int bits, long[] words, long[] ids) {
        checkBits(bits);
        int wpc = wordsFor(bits);
        if (words.length % wpc != 0) {
            throw new IllegalArgumentException(words.length + " words is not a multiple of " + wpc + " words per code");
        }
        int count = words.length / wpc;
        long[] idArray = ids == null ? sequentialIds(count) : checkIds(ids, count);
        long bad = firstWithPaddingSet(bits, count, i -> words[(int) i * wpc + wpc - 1]);
        if (bad >= 0) {
            throw new IllegalArgumentException("code " + bad + " has bits set past its length of " + bits);
        }
        return new BinaryCodes(bits, count, words, idArray);
    }

    /**
     * Codes from real values by the sign rule ({@code v >= 0} is bit 1), row-major
     * {@code count x bits}. {@code ids} may be {@code null} for ids 0..count-1.
     */
    public static BinaryCodes fromSigns(float[] values, int bits, long[] ids) {
        checkBits(bits);
        if (values.length % bits != 0) {
            throw new IllegalArgumentException(values.length + " values is not a multiple of " + bits + " bits");
        }
        int count = values.length / bits;
        Builder b = new Builder(bits, count);
        for (int i = 0; i < count; i++) {
            int base = i * bits;
            for (int j = 0; j < bits; j++) {
                float v = values[base + j];
                if (Float.isNaN(v)) {
                    throw new IllegalArgumentException("NaN at code " + i + ", bit " + j + ": cannot binarise");
                }
                if (v >= 0f) {
                    b.set(i, j);
                }
            }
        }
        return b.build(ids);
    }

    /**
     * Codes from packed bytes, {@code bits / 8} bytes per code, in the given bit order (the layout of
     * a packed {@code uint8} matrix from numpy or Faiss). {@code ids} may be {@code null}.
     */
    public static BinaryCodes fromPackedBytes(byte[] bytes, int bits, BitOrder order, long[] ids) {
        checkBits(bits);
        int bytesPerCode = bits / 8;
        if (bytes.length % bytesPerCode != 0) {
            throw new IllegalArgumentException(bytes.length + " bytes is not a multiple of " + bytesPerCode + " bytes per code");
        }
        int count = bytes.length / bytesPerCode;
        int wpc = wordsFor(bits);
        long[] w = new long[count * wpc];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < bytesPerCode; k++) {
                long b = order == BitOrder.BIG ? bytes[i * bytesPerCode + k] & 0xFF
                        : Integer.reverse(bytes[i * bytesPerCode + k] & 0xFF) >>> 24;
                w[i * wpc + (k >>> 3)] |= b << ((k & 7) << 3);
            }
        }
        return new BinaryCodes(bits, count, w, ids == null ? sequentialIds(count) : checkIds(ids.clone(), count));
    }

    /** The codes as packed bytes, {@code bits / 8} per code, in the given bit order. */
    public byte[] toPackedBytes(BitOrder order) {
        int bytesPerCode = bits / 8;
        byte[] out = new byte[count * bytesPerCode];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < bytesPerCode; k++) {
                int b = (int) (words[i * wordsPerCode + (k >>> 3)] >>> ((k & 7) << 3)) & 0xFF;
                out[i * bytesPerCode + k] = (byte) (order == BitOrder.BIG ? b : Integer.reverse(b) >>> 24);
            }
        }
        return out;
    }

    /**
     * Code {@code i} as hex, most significant bit first ({@link BitOrder#BIG}: code bit 0 is the high bit of
     * the first byte): the text form of Elasticsearch's, OpenSearch's and Vespa's bit vectors.
     */
    public String hex(int i) {
        StringBuilder sb = new StringBuilder(bits / 4);
        for (int k = 0; k < bits / 8; k++) {
            int b = (int) (words[i * wordsPerCode + (k >>> 3)] >>> ((k & 7) << 3)) & 0xFF;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 15, 16));
        }
        return sb.toString();
    }

    /** One {@code bits}-bit code from its {@link #hex} form, under {@code id}; refuses text of another length or not hex. */
    public static BinaryCodes fromHex(String hex, int bits, long id) {
        checkBits(bits);
        if (hex == null || hex.length() != bits / 4) {
            throw new IllegalArgumentException("a code of " + bits + " bits is " + bits / 4 + " hex digits, got "
                    + (hex == null ? "none" : hex.length()));
        }
        byte[] bytes;
        try {
            bytes = java.util.HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a code must be hex digits: " + e.getMessage());
        }
        return fromPackedBytes(bytes, bits, BitOrder.BIG, new long[] {id});
    }

    /** Code length in bits (a multiple of 8, at most {@value #MAX_BITS}). */
    public int bits() {
        return bits;
    }

    /** Number of codes. */
    public int size() {
        return count;
    }

    /** Words per code: {@code ceil(bits / 64)}. */
    public int wordsPerCode() {
        return wordsPerCode;
    }

    /**
     * The packed words of all codes, shared with this object for speed in scan loops: callers must
     * not modify the array.
     */
    public long[] words() {
        return words;
    }

    /** The id of code {@code i}. */
    public long id(int i) {
        return ids[i];
    }

    /** A copy of all ids. */
    public long[] ids() {
        return ids.clone();
    }

    /** Bit {@code j} of code {@code i}. */
    public boolean bit(int i, int j) {
        if (j < 0 || j >= bits) {
            throw new IndexOutOfBoundsException("bit " + j + " of a " + bits + "-bit code");
        }
        return (words[i * wordsPerCode + (j >>> 6)] >>> bitShift(j) & 1L) != 0;
    }

    /** Hamming distance between code {@code i} of this set and code {@code j} of {@code other}. */
    public int distance(int i, BinaryCodes other, int j) {
        if (other.bits != bits) {
            throw new IllegalArgumentException("code lengths differ: " + bits + " vs " + other.bits);
        }
        return Hamming.distance(words, i * wordsPerCode, other.words, j * wordsPerCode, wordsPerCode);
    }

    /** The codes at the given positions, in that order, with their ids. */
    public BinaryCodes subset(int[] positions) {
        long[] w = new long[positions.length * wordsPerCode];
        long[] id = new long[positions.length];
        for (int r = 0; r < positions.length; r++) {
            int p = positions[r];
            if (p < 0 || p >= count) {
                throw new IndexOutOfBoundsException("position " + p + " of " + count + " codes");
            }
            System.arraycopy(words, p * wordsPerCode, w, r * wordsPerCode, wordsPerCode);
            id[r] = ids[p];
        }
        return new BinaryCodes(bits, positions.length, w, id);
    }

    /**
     * The positions of the codes with the given ids, in that order.
     *
     * @throws IllegalArgumentException naming the first id that is missing or duplicated
     */
    public int[] positionsOf(long[] wanted) {
        long[] sortedIds = ids.clone();
        int[] byId = new int[count];
        Integer[] idx = new Integer[count];
        for (int i = 0; i < count; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Long.compare(ids[a], ids[b]));
        for (int i = 0; i < count; i++) {
            byId[i] = idx[i];
            sortedIds[i] = ids[idx[i]];
            if (i > 0 && sortedIds[i] == sortedIds[i - 1]) {
                throw new IllegalArgumentException("id " + sortedIds[i] + " occurs twice in the codes");
            }
        }
        int[] out = new int[wanted.length];
        for (int k = 0; k < wanted.length; k++) {
            int p = Arrays.binarySearch(sortedIds, wanted[k]);
            if (p < 0) {
                throw new IllegalArgumentException("no code has id " + wanted[k]);
            }
            out[k] = byId[p];
        }
        return out;
    }

    /** The codes of {@code first} followed by those of {@code second} (same length), with their ids. */
    public static BinaryCodes concat(BinaryCodes first, BinaryCodes second) {
        if (first.bits != second.bits) {
            throw new IllegalArgumentException("code lengths differ: " + first.bits + " vs " + second.bits);
        }
        long[] w = Arrays.copyOf(first.words, first.words.length + second.words.length);
        System.arraycopy(second.words, 0, w, first.words.length, second.words.length);
        long[] id = Arrays.copyOf(first.ids, first.count + second.count);
        System.arraycopy(second.ids, 0, id, first.count, second.count);
        return new BinaryCodes(first.bits, first.count + second.count, w, id);
    }

    /** The same codes with other ids. */
    public BinaryCodes withIds(long[] newIds) {
        return new BinaryCodes(bits, count, words, checkIds(newIds.clone(), count));
    }

    /** The codes in the {-1, +1} view, row-major {@code size() x bits()}. */
    public byte[] toSigns() {
        byte[] out = new byte[count * bits];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < bits; j++) {
                out[i * bits + j] = bit(i, j) ? (byte) 1 : (byte) -1;
            }
        }
        return out;
    }

    /**
     * Bit imbalance at or above which codes are reported as collapsed: most bits are the same for nearly
     * every item (collapsed NSH runs of the PyTorch reference had 0.94 and 0.97; working models stay below 0.3).
     */
    public static final double COLLAPSED_IMBALANCE = 0.9;

    /** Whether codes with this {@link #bitImbalance()} count as collapsed. */
    public static boolean isCollapsed(double bitImbalance) {
        return bitImbalance >= COLLAPSED_IMBALANCE;
    }

    /** Mean over bits of |mean bit value in {-1,+1}|: 0 is perfectly balanced, 1 means every code is equal. */
    public double bitImbalance() {
        if (count == 0) {
            return 0;
        }
        double sum = 0;
        for (int j = 0; j < bits; j++) {
            long ones = 0;
            int word = j >>> 6;
            int shift = bitShift(j);
            for (int i = 0; i < count; i++) {
                ones += words[i * wordsPerCode + word] >>> shift & 1L;
            }
            sum += Math.abs(2.0 * ones / count - 1.0);
        }
        return sum / bits;
    }

    /** Position of code bit {@code j} inside its word. */
    static int bitShift(int j) {
        return ((j >>> 3) & 7) << 3 | (7 - (j & 7));
    }

    /** 64-bit words per code of {@code bits} bits. */
    public static int wordsFor(int bits) {
        return (bits + 63) >>> 6;
    }

    /**
     * The first of {@code count} codes of {@code bits} bits with bits set past the code length, or -1:
     * the codes' storage gives each code's last word through {@code lastWord}.
     */
    public static long firstWithPaddingSet(int bits, long count, java.util.function.LongUnaryOperator lastWord) {
        long mask = paddingMask(bits);
        if (mask != 0) {
            for (long i = 0; i < count; i++) {
                if ((lastWord.applyAsLong(i) & mask) != 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The bits of a code's last word that lie past its length and must be zero (0 when the length fills it). */
    private static long paddingMask(int bits) {
        int used = bits & 63;
        return used == 0 ? 0 : -1L << used;
    }

    /** Throws unless {@code bits} is a positive multiple of 8 no larger than {@value #MAX_BITS}. */
    public static void checkBits(int bits) {
        if (bits <= 0 || bits % 8 != 0 || bits > MAX_BITS) {
            throw new IllegalArgumentException("code length must be a multiple of 8 between 8 and " + MAX_BITS
                    + " bits, got " + bits);
        }
    }

    private static long[] sequentialIds(int count) {
        long[] ids = new long[count];
        Arrays.setAll(ids, i -> i);
        return ids;
    }

    /** {@code ids}, checked: one per code, none negative (-1 marks "no result" in search results). */
    private static long[] checkIds(long[] ids, int count) {
        if (ids.length != count) {
            throw new IllegalArgumentException(count + " codes but " + ids.length + " ids");
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0) {
                throw new IllegalArgumentException("id " + ids[i] + " of code " + i + " is negative; ids must be >= 0 "
                        + "(-1 marks an empty result slot)");
            }
        }
        return ids;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryCodes c && bits == c.bits && Arrays.equals(words, c.words) && Arrays.equals(ids, c.ids);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * bits + Arrays.hashCode(words)) + Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "BinaryCodes[" + count + " x " + bits + " bits]";
    }

    /** Sets bits one at a time, then freezes them into {@link BinaryCodes}. Not thread-safe across codes sharing a word. */
    public static final class Builder {
        private final int bits;
        private final int wpc;
        private final long[] words;

        public Builder(int bits, int count) {
            checkBits(bits);
            this.bits = bits;
            this.wpc = wordsFor(bits);
            this.words = new long[Math.multiplyExact(count, wpc)];
        }

        /** Sets bit {@code j} of code {@code i} to 1. */
        public Builder set(int i, int j) {
            words[i * wpc + (j >>> 6)] |= 1L << bitShift(j);
            return this;
        }

        /** The codes built so far; {@code ids} may be {@code null} for ids 0..count-1. */
        public BinaryCodes build(long[] ids) {
            int count = words.length / wpc;
            return new BinaryCodes(bits, count, words.clone(), ids == null ? sequentialIds(count) : checkIds(ids.clone(), count));
        }
    }
}
