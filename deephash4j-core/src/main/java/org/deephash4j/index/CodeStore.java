package org.deephash4j.index;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The packed words of an index's codes: on the heap, or in a memory-mapped file region (read-only,
 * outside the heap). Scans read tiles: a heap store hands out its own array, a mapped store copies
 * the tile into the caller's scratch array, so one scan kernel serves both.
 */
abstract sealed class CodeStore permits CodeStore.Heap, CodeStore.Mapped {

    final int wordsPerCode;

    CodeStore(int wordsPerCode) {
        this.wordsPerCode = wordsPerCode;
    }

    abstract int size();

    /**
     * The words of codes {@code [start, start + count)}: returns the array holding them, whose first
     * word is at {@link #tileOffset(int)} for a heap store and 0 for a copy into {@code scratch}.
     */
    abstract long[] tile(int start, int count, long[] scratch);

    abstract int tileOffset(int start);

    /** Word {@code w} of code {@code position}. */
    abstract long word(int position, int w);

    abstract long heapBytes();

    /** All words on the heap (a copy for a mapped store). */
    abstract long[] toArray();

    /** Codes held in a {@code long[]}. */
    static final class Heap extends CodeStore {
        final long[] words;

        Heap(long[] words, int wordsPerCode) {
            super(wordsPerCode);
            this.words = words;
        }

        @Override
        int size() {
            return words.length / wordsPerCode;
        }

        @Override
        long[] tile(int start, int count, long[] scratch) {
            return words;
        }

        @Override
        int tileOffset(int start) {
            return start * wordsPerCode;
        }

        @Override
        long word(int position, int w) {
            return words[position * wordsPerCode + w];
        }

        @Override
        long heapBytes() {
            return 16L + 8L * words.length;
        }

        @Override
        long[] toArray() {
            return words.clone();
        }
    }

    /** Codes in a memory-mapped, little-endian file region. */
    static final class Mapped extends CodeStore {
        private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        final MemorySegment segment;
        final int count;

        Mapped(MemorySegment segment, int count, int wordsPerCode) {
            super(wordsPerCode);
            this.segment = segment;
            this.count = count;
        }

        @Override
        int size() {
            return count;
        }

        @Override
        long[] tile(int start, int n, long[] scratch) {
            MemorySegment.copy(segment, WORD, (long) start * wordsPerCode * 8, scratch, 0, n * wordsPerCode);
            return scratch;
        }

        @Override
        int tileOffset(int start) {
            return 0;
        }

        @Override
        long word(int position, int w) {
            return segment.get(WORD, ((long) position * wordsPerCode + w) * 8);
        }

        @Override
        long heapBytes() {
            return 64;
        }

        @Override
        long[] toArray() {
            long[] out = new long[count * wordsPerCode];
            MemorySegment.copy(segment, WORD, 0, out, 0, out.length);
            return out;
        }
    }
}
