package org.deephash4j.data.fetch;

import java.nio.file.Path;

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

    /**
     * Writes {@code marker} into the complete folder {@code staging}, then moves it to {@code dir} in place
     * of any older one (moved aside first and removed, so {@code dir} is never half old, half new).
     */
    static Path publish(Path staging, Path dir, String marker) throws java.io.IOException {
        org.deephash4j.io.AtomicFiles.writeString(staging.resolve(MARKER), marker);
        java.nio.file.Files.createDirectories(dir.getParent());
        if (java.nio.file.Files.exists(dir)) {
            Path old = dir.resolveSibling(dir.getFileName() + ".old-" + System.nanoTime());
            java.nio.file.Files.move(dir, old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            org.deephash4j.io.Folders.deleteTree(old);
        }
        java.nio.file.Files.move(staging, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return dir;
    }
}
