package org.deephash4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.MultiHotLabels;

/**
 * A run of database codes as one Spark record: their keys (database positions for evaluation, ids for
 * search; ascending), packed words and, for evaluation, their multi-hot label words. Chunks of a few
 * thousand codes keep Spark's per-record cost negligible beside the scan.
 */
public record CodeChunk(int bits, long[] keys, long[] words, long[] labelWords, int labelWordsPerItem) implements Serializable {

    /** Codes per chunk that {@link #split} makes. */
    public static final int DEFAULT_SIZE = 8192;

    public int size() {
        return keys.length;
    }

    /**
     * {@code codes} cut into chunks of {@code size}; keys are positions (0..n-1) when {@code byPosition},
     * else the codes' ids; labels may be null.
     */
    public static List<CodeChunk> split(BinaryCodes codes, MultiHotLabels labels, boolean byPosition, int size) {
        int wpc = codes.wordsPerCode();
        int lw = labels == null ? 0 : labels.wordsPerItem();
        List<CodeChunk> out = new ArrayList<>();
        for (int from = 0; from < codes.size(); from += size) {
            int to = Math.min(codes.size(), from + size);
            long[] keys = new long[to - from];
            for (int i = from; i < to; i++) {
                keys[i - from] = byPosition ? i : codes.id(i);
            }
            long[] words = java.util.Arrays.copyOfRange(codes.words(), from * wpc, to * wpc);
            long[] lab = labels == null ? null : java.util.Arrays.copyOfRange(labels.words(), from * lw, to * lw);
            out.add(new CodeChunk(codes.bits(), keys, words, lab, lw));
        }
        return out;
    }

    /** Whether item {@code i} shares a label with the query whose label words start at {@code q[qOff]}. */
    boolean relevant(int i, long[] q, int qOff) {
        for (int w = 0; w < labelWordsPerItem; w++) {
            if ((labelWords[i * labelWordsPerItem + w] & q[qOff + w]) != 0) {
                return true;
            }
        }
        return false;
    }
}
