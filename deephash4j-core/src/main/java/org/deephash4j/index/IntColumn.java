package org.deephash4j.index;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A read-only column of ints, on the heap or in a memory-mapped little-endian file region: the bucket
 * directories and position lists of {@link SubstringTable}, built in memory or mapped from an index file.
 */
abstract sealed class IntColumn permits IntColumn.Heap, IntColumn.Mapped {

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    abstract int get(int i);

    abstract int size();

    abstract long heapBytes();

    static IntColumn of(int[] values) {
        return new Heap(values);
    }

    /** {@code count} ints from {@code offset} of a mapped region. */
    static IntColumn mapped(MemorySegment segment, long offset, int count) {
        return new Mapped(segment.asSlice(offset, 4L * count), count);
    }

    /** Ints held in an {@code int[]}. */
    static final class Heap extends IntColumn {
        private final int[] values;

        Heap(int[] values) {
            this.values = values;
        }

        @Override
        int get(int i) {
            return values[i];
        }

        @Override
        int size() {
            return values.length;
        }

        @Override
        long heapBytes() {
            return 16L + 4L * values.length;
        }
    }

    /** Ints in a memory-mapped region. */
    static final class Mapped extends IntColumn {
        private final MemorySegment segment;
        private final int count;

        Mapped(MemorySegment segment, int count) {
            this.segment = segment;
            this.count = count;
        }

        @Override
        int get(int i) {
            return segment.getAtIndex(INT, i);
        }

        @Override
        int size() {
            return count;
        }

        @Override
        long heapBytes() {
            return 32;
        }
    }
}
