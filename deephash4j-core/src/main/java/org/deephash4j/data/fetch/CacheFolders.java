package org.deephash4j.data.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Conventions of the data cache shared by every fetched data set: a folder is complete when it holds
 * its marker file (written last, before the folder is moved into place), and folders are removed whole.
 */
final class CacheFolders {

    /** The file whose presence (and text) says a cache folder is complete and verified. */
    static final String MARKER = ".verified";

    private CacheFolders() {
    }

    /** Deletes {@code root} and everything under it, if it exists. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
