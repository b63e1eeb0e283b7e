package org.deephash4j.data.fetch;

/**
 * Conventions of the data cache shared by every fetched data set: a folder is complete when it holds
 * its marker file (written last, before the folder is moved into place), and folders are removed whole
 * ({@link org.deephash4j.io.Folders#deleteTree}).
 */
final class CacheFolders {

    /** The file whose presence (and text) says a cache folder is complete and verified. */
    static final String MARKER = ".verified";

    private CacheFolders() {
    }
}
