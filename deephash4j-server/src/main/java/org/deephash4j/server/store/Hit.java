package org.deephash4j.server.store;

/** One search result: an item and its Hamming distance to the query. */
public record Hit(long id, int distance) implements Comparable<Hit> {

    /** The order of every result list: (distance, id) ascending, as Faiss and the indexes rank. */
    @Override
    public int compareTo(Hit o) {
        int c = Integer.compare(distance, o.distance);
        return c != 0 ? c : Long.compare(id, o.id);
    }
}
