package org.deephash4j.index;

import java.util.Arrays;
import org.deephash4j.codes.BinaryCodes;

/**
 * What both index types share: codes of one length with ascending ids, adding and removing by id,
 * argument checks, and turning per-query (distance, position) lists into a {@link SearchResult}.
 * Subclasses search; {@link #codesChanged()} tells them to rebuild what they derive from the codes.
 */
abstract class StoredCodesIndex implements HammingIndex {

    /** Codes whose distances a scan computes in one kernel call before it looks at them. */
    static final int CHUNK = 64;

    final int bits;
    final int wpc;
    CodeStore codes;
    IdStore ids;

    StoredCodesIndex(int bits, CodeStore codes, IdStore ids) {
        BinaryCodes.checkBits(bits);
        this.bits = bits;
        this.wpc = (bits + 63) >>> 6;
        this.codes = codes != null ? codes : new CodeStore.Heap(new long[0], wpc);
        this.ids = ids != null ? ids : IdStore.of(new long[0]);
    }

    @Override
    public int bits() {
        return bits;
    }

    @Override
    public int size() {
        return ids.size();
    }

    CodeStore codeStore() {
        return codes;
    }

    IdStore idStore() {
        return ids;
    }

    /** Called after the codes changed (added, removed). */
    void codesChanged() {
    }

    @Override
    public void add(BinaryCodes added) {
        Merged m = Merged.of(bits, codes, ids, added);
        codes = new CodeStore.Heap(m.words(), wpc);
        ids = IdStore.of(m.ids());
        codesChanged();
    }

    @Override
    public int remove(long[] remove) {
        Merged m = Merged.without(codes, ids, remove);
        if (m == null) {
            return 0;
        }
        int removed = ids.size() - m.ids().length;
        codes = new CodeStore.Heap(m.words(), wpc);
        ids = IdStore.of(m.ids());
        codesChanged();
        return removed;
    }

    @Override
    public BinaryCodes codes() {
        long[] all = new long[ids.size()];
        java.util.Arrays.setAll(all, ids::id);
        return BinaryCodes.of(bits, codes.toArray(), all);
    }

    @Override
    public BinaryCodes codesOf(long[] wanted) {
        int[] positions = java.util.Arrays.stream(wanted).mapToInt(ids::positionOf).filter(p -> p >= 0).sorted().distinct()
                .toArray();
        long[] words = new long[positions.length * wpc];
        long[] found = new long[positions.length];
        for (int i = 0; i < positions.length; i++) {
            found[i] = ids.id(positions[i]);
            for (int w = 0; w < wpc; w++) {
                words[i * wpc + w] = codes.word(positions[i], w);
            }
        }
        return BinaryCodes.of(bits, words, found);
    }

    void checkQueries(BinaryCodes queries) {
        if (queries.bits() != bits) {
            throw new IllegalArgumentException("queries have " + queries.bits() + " bits, the index " + bits);
        }
    }

    static void checkK(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
    }

    static void checkRadius(int radius) {
        if (radius < 0) {
            throw new IllegalArgumentException("radius must not be negative, got " + radius);
        }
    }

    /** Searches queries {@code [q0, q1)} for their {@code k} best, writing rows {@code q * k ..} of the outputs. */
    @FunctionalInterface
    interface BlockSearch {
        void search(BinaryCodes queries, int q0, int q1, int k, int[] outDist, int[] outPos);
    }

    /**
     * k-NN search run as parallel blocks of {@code blockSize} queries: argument checks, output arrays and
     * the result are shared by both index types, which differ only in {@code block}.
     */
    SearchResult searchInBlocks(BinaryCodes queries, int k, int blockSize, BlockSearch block) {
        checkQueries(queries);
        checkK(k);
        int nq = queries.size();
        int width = Math.min(k, ids.size());
        if ((long) nq * width > org.deephash4j.io.Sizes.MAX_ARRAY) {
            throw new IllegalArgumentException(nq + " queries x k = " + width + " neighbours do not fit in one result; "
                    + "search in smaller batches of queries or with a smaller k");
        }
        int[] outDist = new int[nq * width];
        int[] outPos = new int[nq * width];
        int blocks = (nq + blockSize - 1) / blockSize;
        if (width > 0) {
            java.util.stream.IntStream.range(0, blocks).parallel().forEach(b -> {
                int q0 = b * blockSize;
                block.search(queries, q0, Math.min(nq, q0 + blockSize), width, outDist, outPos);
            });
        }
        long[] outIds = new long[nq * width];
        for (int i = 0; i < outIds.length; i++) {
            outIds[i] = ids.id(outPos[i]);
        }
        return new SearchResult(nq, width, outIds, outDist);
    }

    @Override
    public long heapBytes() {
        return codes.heapBytes() + ids.heapBytes();
    }

    /** The index's codes and ids merged with added codes, or without removed ones. */
    record Merged(long[] words, long[] ids) {

        static Merged of(int bits, CodeStore codes, IdStore ids, BinaryCodes added) {
            if (added.bits() != bits) {
                throw new IllegalArgumentException("codes have " + added.bits() + " bits, the index " + bits);
            }
            int wpc = codes.wordsPerCode;
            int m = added.size();
            int[] order = new int[m];
            boolean sorted = true;
            for (int i = 0; i < m; i++) {
                order[i] = i;
                sorted &= i == 0 || added.id(i) > added.id(i - 1);
            }
            if (!sorted) {
                it.unimi.dsi.fastutil.ints.IntArrays.quickSort(order, (a, b) -> Long.compare(added.id(a), added.id(b)));
            }
            for (int i = 1; i < m; i++) {
                if (added.id(order[i]) == added.id(order[i - 1])) {
                    throw new IllegalArgumentException("id " + added.id(order[i]) + " is repeated in the added codes");
                }
            }
            for (int i = 0; i < m && ids.size() > 0; i++) {
                if (ids.positionOf(added.id(i)) >= 0) {
                    throw new IllegalArgumentException("id " + added.id(i) + " is already in the index");
                }
            }
            int n = ids.size();
            long[] w = new long[(n + m) * wpc];
            long[] id = new long[n + m];
            long[] aw = added.words();
            int i = 0;
            int j = 0;
            int o = 0;
            while (i < n || j < m) {
                boolean takeOld = j >= m || (i < n && ids.id(i) < added.id(order[j]));
                if (takeOld) {
                    for (int x = 0; x < wpc; x++) {
                        w[o * wpc + x] = codes.word(i, x);
                    }
                    id[o++] = ids.id(i++);
                } else {
                    int src = order[j++];
                    System.arraycopy(aw, src * wpc, w, o * wpc, wpc);
                    id[o++] = added.id(src);
                }
            }
            return new Merged(w, id);
        }

        /** The store without {@code remove}; {@code null} if none of them is present. */
        static Merged without(CodeStore codes, IdStore ids, long[] remove) {
            int n = ids.size();
            boolean[] drop = new boolean[n];
            int dropped = 0;
            for (long r : remove) {
                int p = ids.positionOf(r);
                if (p >= 0 && !drop[p]) {
                    drop[p] = true;
                    dropped++;
                }
            }
            if (dropped == 0) {
                return null;
            }
            int wpc = codes.wordsPerCode;
            long[] w = new long[(n - dropped) * wpc];
            long[] id = new long[n - dropped];
            int o = 0;
            for (int i = 0; i < n; i++) {
                if (!drop[i]) {
                    for (int x = 0; x < wpc; x++) {
                        w[o * wpc + x] = codes.word(i, x);
                    }
                    id[o++] = ids.id(i);
                }
            }
            return new Merged(w, id);
        }
    }
}
