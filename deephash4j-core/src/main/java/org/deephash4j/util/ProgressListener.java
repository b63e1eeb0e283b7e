package org.deephash4j.util;

/**
 * Receives progress of a long step (a download, encoding a data set, an evaluation) so that the core
 * can report it without depending on any terminal library; the CLI turns it into a progress bar.
 */
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void start(String task, long total) {
        }

        @Override
        public void advance(long units) {
        }

        @Override
        public void finish() {
        }
    };

    /** A new task begins; {@code total} is its size in units, or -1 when unknown. */
    void start(String task, long total);

    /** {@code units} more units of the current task are done. Must be safe to call from any thread. */
    void advance(long units);

    /** The current task is over. */
    void finish();

    /** A short status of the current task to show beside its progress, e.g. a training run's loss and throughput. */
    default void status(String text) {
    }
}
