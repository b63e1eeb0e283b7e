package org.deephash4j.server.store;

/**
 * One write as the log and the snapshots store it: an item put with its code (an add or an
 * upsert), an item's labels and metadata alone (snapshots, whose codes are in the index file), or
 * a deletion.
 */
sealed interface LogRecord {

    /** Puts {@code item} with the code {@code words} (replacing any item of that id). */
    record Put(Item item, long[] words) implements LogRecord {
    }

    /** The labels and metadata of an item whose code is stored elsewhere. */
    record Details(Item item) implements LogRecord {
    }

    /** Deletes the item {@code id}. */
    record Delete(long id) implements LogRecord {
    }
}
