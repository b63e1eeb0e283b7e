package org.deephash4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Operations on whole folders. */
public final class Folders {

    private Folders() {
    }

    /** The bytes of the regular files under {@code root} (links not followed), 0 if it does not exist. */
    public static long size(Path root) throws IOException {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(root)) {
            long total = 0;
            for (Path p : s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                try {
                    total += Files.size(p);
                } catch (java.nio.file.NoSuchFileException goneSinceListed) {
                    // another process replaced or removed it meanwhile (an atomic write's temporary file)
                }
            }
            return total;
        }
    }

    /** Deletes {@code root} and everything under it, if it exists. */
    public static void deleteTree(Path root) throws IOException {
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
