package org.deephash4j.index;

import org.deephash4j.codes.BinaryCodes;

/**
 * Exact search of binary codes by Hamming distance, in the style of Faiss's index interface: add
 * codes with user-chosen long ids, search the k nearest, search within a radius, remove by id,
 * save. Results are ordered by (distance, id) ascending, the tie rule of Faiss. Implementations are
 * safe for concurrent searches; adding and removing must not overlap with searches.
 */
public interface HammingIndex {

    /** Code length in bits. */
    int bits();

    /** Number of codes in the index. */
    int size();

    /** The index type. */
    IndexType type();

    /**
     * Adds {@code codes} under their ids ({@link BinaryCodes#id(int)}).
     *
     * @throws IllegalArgumentException if the code length differs or an id is already present or repeated
     */
    void add(BinaryCodes codes);

    /**
     * The {@code k} nearest codes of each query; every code, and the result's {@code k} the index's size,
     * when the index holds fewer than {@code k}.
     *
     * @throws IllegalArgumentException if {@code k} is not positive, the code lengths differ, or queries x k
     *     results do not fit in one array
     */
    SearchResult search(BinaryCodes queries, int k);

    /** Every code within Hamming distance {@code radius} of each query. */
    RangeResult rangeSearch(BinaryCodes queries, int radius);

    /** Every stored code with its id, in ascending id order (a copy: Faiss's {@code reconstruct_n}). */
    BinaryCodes codes();

    /** The stored codes of those of {@code ids} that are present, in ascending id order (Faiss's {@code reconstruct}). */
    BinaryCodes codesOf(long[] ids);

    /** Removes the codes with these ids (unknown ids are ignored); returns how many were removed. */
    int remove(long[] ids);

    /** Bytes of Java heap the index holds (codes, ids, tables); memory-mapped codes are not counted. */
    long heapBytes();
}
