package org.deephash4j.index;

import java.util.Arrays;

/**
 * The ids of an index's codes, kept in strictly ascending order so that scan order is id order (the
 * tie rule) and lookups are binary searches. Stored as compactly as they allow: nothing for a
 * contiguous range, 4-byte offsets from a base when they span less than 2^32, else 8 bytes each.
 */
abstract sealed class IdStore permits IdStore.Range, IdStore.Offsets, IdStore.Longs {

    abstract int size();

    abstract long id(int position);

    abstract long heapBytes();

    /** All ids, ascending. */
    long[] toArray() {
        long[] out = new long[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = id(i);
        }
        return out;
    }

    /** Position of {@code id}, or a negative value if absent. */
    int positionOf(long id) {
        int lo = 0;
        int hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = id(mid);
            if (v < id) {
                lo = mid + 1;
            } else if (v > id) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** The most compact store for strictly ascending {@code ids} (not copied when stored as longs). */
    static IdStore of(long[] ids) {
        int n = ids.length;
        for (int i = 1; i < n; i++) {
            if (ids[i] <= ids[i - 1]) {
                throw new IllegalArgumentException("ids must be strictly ascending");
            }
        }
        if (n == 0) {
            return new Range(0, 0);
        }
        if (ids[0] < 0) {
            throw new IllegalArgumentException("id " + ids[0] + " is negative; ids must be >= 0 (-1 marks an empty result slot)");
        }
        long base = ids[0];
        if (ids[n - 1] - base == n - 1) {
            return new Range(base, n);
        }
        if (ids[n - 1] - base >= 0 && ids[n - 1] - base < (1L << 32)) {
            int[] off = new int[n];
            for (int i = 0; i < n; i++) {
                off[i] = (int) (ids[i] - base);
            }
            return new Offsets(base, off);
        }
        return new Longs(ids);
    }

    /** Ids base, base+1, ..., base+n-1. */
    static final class Range extends IdStore {
        final long base;
        final int n;

        Range(long base, int n) {
            assert base >= 0 && base <= Long.MAX_VALUE - n : "ids " + base + " + " + n;
            this.base = base;
            this.n = n;
        }

        @Override
        int size() {
            return n;
        }

        @Override
        long id(int position) {
            return base + position;
        }

        @Override
        long heapBytes() {
            return 16;
        }
    }

    /** Ids base + unsigned 32-bit offsets. */
    static final class Offsets extends IdStore {
        final long base;
        final int[] offsets;

        Offsets(long base, int[] offsets) {
            this.base = base;
            this.offsets = offsets;
        }

        @Override
        int size() {
            return offsets.length;
        }

        @Override
        long id(int position) {
            return base + Integer.toUnsignedLong(offsets[position]);
        }

        @Override
        long heapBytes() {
            return 16L + 4L * offsets.length;
        }
    }

    /** Arbitrary ascending ids. */
    static final class Longs extends IdStore {
        final long[] ids;

        Longs(long[] ids) {
            this.ids = ids;
        }

        @Override
        int size() {
            return ids.length;
        }

        @Override
        long id(int position) {
            return ids[position];
        }

        @Override
        long heapBytes() {
            return 16L + 8L * ids.length;
        }

        @Override
        long[] toArray() {
            return Arrays.copyOf(ids, ids.length);
        }
    }
}
