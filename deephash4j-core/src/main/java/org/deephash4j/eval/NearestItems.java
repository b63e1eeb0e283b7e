package org.deephash4j.eval;

import java.util.Arrays;

/**
 * The database items of one query up to the distance of its K-th nearest, collected during a scan
 * in position order: every item at a distance up to the current threshold is kept, with a histogram
 * of the kept distances; the threshold is the smallest distance at which the histogram reaches K,
 * and it only falls, so items above it are dropped for good (lazily: they stay in the arrays until
 * the arrays fill up, and an offer costs O(1) amortised). At the end the kept items are exactly those
 * at a distance up to the K-th neighbour's, and the histogram counts them exactly: what the
 * evaluator's ranking needs, without a distance per database item.
 */
final class NearestItems {

    private final int[] histogram;
    private int want;
    private int threshold;
    /** Items at a distance up to the threshold: the histogram's sum over 0..threshold. */
    private int kept;
    /** Items in the arrays, some possibly above the threshold. */
    private int size;
    private int[] positions = new int[64];
    private byte[] distances = new byte[64];

    /** A collector for codes of {@code bits} bits (at most 255). */
    NearestItems(int bits) {
        assert bits <= 255 : "distances are stored in a byte";
        histogram = new int[bits + 1];
    }

    /** Starts a query that needs its {@code k} nearest (k >= 1). */
    void reset(int k) {
        assert k >= 1;
        want = k;
        threshold = histogram.length - 1;
        kept = 0;
        size = 0;
        Arrays.fill(histogram, 0);
    }

    /** The largest distance an item may have to be kept now. */
    int threshold() {
        return threshold;
    }

    /** Offers the item at {@code position} (positions ascending across calls) at {@code distance <= threshold()}. */
    void offer(int distance, int position) {
        assert distance <= threshold;
        if (size == positions.length) {
            compact();
            if (size > positions.length / 2) {
                positions = Arrays.copyOf(positions, 2 * positions.length);
                distances = Arrays.copyOf(distances, 2 * distances.length);
            }
        }
        positions[size] = position;
        distances[size++] = (byte) distance;
        histogram[distance]++;
        kept++;
        while (threshold > 0 && kept - histogram[threshold] >= want) {
            kept -= histogram[threshold];
            histogram[threshold--] = 0;
        }
    }

    /** Drops the items above the threshold, keeping position order. */
    private void compact() {
        int w = 0;
        for (int i = 0; i < size; i++) {
            if ((distances[i] & 0xFF) <= threshold) {
                positions[w] = positions[i];
                distances[w++] = distances[i];
            }
        }
        size = w;
    }

    /**
     * Writes the kept items' count per distance to {@code count} (zero above the threshold) and the
     * items in (distance, position) order to {@code order} and their distances to {@code orderDistance};
     * returns how many there are.
     */
    int sortInto(int[] count, int[] start, int[] order, int[] orderDistance) {
        Arrays.fill(count, 0);
        System.arraycopy(histogram, 0, count, 0, threshold + 1);
        start[0] = 0;
        for (int d = 0; d <= threshold; d++) {
            start[d + 1] = start[d] + count[d];
        }
        for (int i = 0; i < size; i++) {
            int d = distances[i] & 0xFF;
            if (d <= threshold) {
                int at = start[d]++;
                order[at] = positions[i];
                orderDistance[at] = d;
            }
        }
        return kept;
    }
}
