package org.deephash4j.data;

import java.util.Arrays;

/**
 * Labels of a data set as multi-hot vectors over {@code numClasses} classes, packed in bits.
 * Single-label data is the one-hot case, so every consumer handles multi-label data the same way.
 * Two items are relevant to each other when they share at least one label (the field's rule).
 * An item may have no label at all.
 */
public final class MultiHotLabels {

    private final int numClasses;
    private final int wordsPerItem;
    private final int size;
    private final long[] bits;

    private MultiHotLabels(int numClasses, int size, long[] bits) {
        this.numClasses = numClasses;
        this.wordsPerItem = (numClasses + 63) >>> 6;
        this.size = size;
        this.bits = bits;
    }

    /** One-hot labels from class indices in {@code [0, numClasses)}. */
    public static MultiHotLabels ofClasses(int[] classes, int numClasses) {
        checkClasses(numClasses);
        int wpi = (numClasses + 63) >>> 6;
        long[] b = allocate(classes.length, wpi);
        for (int i = 0; i < classes.length; i++) {
            int c = classes[i];
            if (c < 0 || c >= numClasses) {
                throw new IllegalArgumentException("label " + c + " of item " + i + " is outside [0, " + numClasses + ")");
            }
            b[i * wpi + (c >>> 6)] |= 1L << (c & 63);
        }
        return new MultiHotLabels(numClasses, classes.length, b);
    }

    /** Multi-hot labels from a row-major {@code size x numClasses} 0/1 matrix. */
    public static MultiHotLabels ofMatrix(byte[] matrix, int numClasses) {
        checkClasses(numClasses);
        if (matrix.length % numClasses != 0) {
            throw new IllegalArgumentException(matrix.length + " values is not a multiple of " + numClasses + " classes");
        }
        int n = matrix.length / numClasses;
        Builder builder = new Builder(n, numClasses);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < numClasses; c++) {
                byte v = matrix[i * numClasses + c];
                if (v == 1) {
                    builder.add(i, c);
                } else if (v != 0) {
                    throw new IllegalArgumentException("label value " + v + " at item " + i + ", class " + c + " is not 0 or 1");
                }
            }
        }
        return builder.build();
    }

    /** Number of items. */
    public int size() {
        return size;
    }

    /** Number of classes. */
    public int numClasses() {
        return numClasses;
    }

    /** Whether item {@code i} carries class {@code c}. */
    public boolean has(int i, int c) {
        return (bits[i * wordsPerItem + (c >>> 6)] >>> (c & 63) & 1L) != 0;
    }

    /** The classes of item {@code i}, ascending. */
    public int[] classesOf(int i) {
        int[] out = new int[cardinality(i)];
        int k = 0;
        for (int w = 0; w < wordsPerItem; w++) {
            long word = bits[i * wordsPerItem + w];
            while (word != 0) {
                out[k++] = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
            }
        }
        return out;
    }

    /** Number of labels of item {@code i}. */
    public int cardinality(int i) {
        int n = 0;
        for (int w = 0; w < wordsPerItem; w++) {
            n += Long.bitCount(bits[i * wordsPerItem + w]);
        }
        return n;
    }

    /** Whether every item has exactly one label. */
    public boolean isSingleLabel() {
        for (int i = 0; i < size; i++) {
            if (cardinality(i) != 1) {
                return false;
            }
        }
        return true;
    }

    /** Whether item {@code i} of this set and item {@code j} of {@code other} share a label. */
    public boolean relevant(int i, MultiHotLabels other, int j) {
        int a = i * wordsPerItem;
        int b = j * other.wordsPerItem;
        for (int w = 0; w < wordsPerItem; w++) {
            if ((bits[a + w] & other.bits[b + w]) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Words per item in {@link #words()}. */
    public int wordsPerItem() {
        return wordsPerItem;
    }

    /** The packed label bits, shared for speed in evaluation loops: callers must not modify them. */
    public long[] words() {
        return bits;
    }

    /** Items per class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int i = 0; i < size; i++) {
            for (int c : classesOf(i)) {
                counts[c]++;
            }
        }
        return counts;
    }

    /** The labels of the given items, in that order. */
    public MultiHotLabels subset(int[] items) {
        long[] b = new long[items.length * wordsPerItem];
        for (int r = 0; r < items.length; r++) {
            System.arraycopy(bits, items[r] * wordsPerItem, b, r * wordsPerItem, wordsPerItem);
        }
        return new MultiHotLabels(numClasses, items.length, b);
    }

    /** These labels followed by {@code other}'s (same number of classes). */
    public MultiHotLabels concat(MultiHotLabels other) {
        if (other.numClasses != numClasses) {
            throw new IllegalArgumentException("class counts differ: " + numClasses + " vs " + other.numClasses);
        }
        long[] b = Arrays.copyOf(bits, bits.length + other.bits.length);
        System.arraycopy(other.bits, 0, b, bits.length, other.bits.length);
        return new MultiHotLabels(numClasses, size + other.size, b);
    }

    /** The labels as a row-major 0/1 matrix. */
    public byte[] toMatrix() {
        byte[] m = new byte[size * numClasses];
        for (int i = 0; i < size; i++) {
            for (int c : classesOf(i)) {
                m[i * numClasses + c] = 1;
            }
        }
        return m;
    }

    /**
     * The most classes a label set may have (about a million: ImageNet-21k has 21,841). Labels are dense
     * bits, so a crafted class index of 10^8 would otherwise cost 12 MB per item.
     */
    public static final int MAX_CLASSES = 1 << 20;

    private static void checkClasses(int numClasses) {
        if (numClasses <= 0 || numClasses > MAX_CLASSES) {
            throw new IllegalArgumentException("number of classes must be in [1, " + MAX_CLASSES + "], got " + numClasses);
        }
    }

    private static long[] allocate(int size, int wordsPerItem) {
        long words = (long) size * wordsPerItem;
        if (words > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(size + " items x " + wordsPerItem * 64L + " classes of labels do not fit in memory");
        }
        return new long[(int) words];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiHotLabels m && m.numClasses == numClasses && Arrays.equals(m.bits, bits);
    }

    @Override
    public int hashCode() {
        return 31 * numClasses + Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
        return "MultiHotLabels[" + size + " items, " + numClasses + " classes]";
    }

    /** Collects labels item by item. */
    public static final class Builder {
        private final int numClasses;
        private final int wpi;
        private final long[] bits;
        private final int size;

        public Builder(int size, int numClasses) {
            checkClasses(numClasses);
            this.numClasses = numClasses;
            this.wpi = (numClasses + 63) >>> 6;
            this.size = size;
            this.bits = allocate(size, wpi);
        }

        /** Gives item {@code i} the class {@code c}. */
        public Builder add(int i, int c) {
            if (c < 0 || c >= numClasses) {
                throw new IllegalArgumentException("class " + c + " outside [0, " + numClasses + ")");
            }
            bits[i * wpi + (c >>> 6)] |= 1L << (c & 63);
            return this;
        }

        public MultiHotLabels build() {
            return new MultiHotLabels(numClasses, size, bits.clone());
        }
    }
}
