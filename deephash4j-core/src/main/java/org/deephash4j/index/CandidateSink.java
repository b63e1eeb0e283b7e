package org.deephash4j.index;

/** Where a scan puts the candidates of one query: a top k, or the hits within a radius. */
interface CandidateSink {

    /** Candidates must have a distance below this; a scan may filter on it before calling {@link #offer}. */
    int bound();

    /** Takes a candidate at Hamming distance {@code distance} at database position {@code position}. */
    void offer(int distance, int position);
}
