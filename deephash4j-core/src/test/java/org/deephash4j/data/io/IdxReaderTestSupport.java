package org.deephash4j.data.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Lets tests in other packages write small MNIST-style folders. */
public final class IdxReaderTestSupport {

    private IdxReaderTestSupport() {
    }

    /** Writes {@code train} training and {@code test} test images (4x5 pixels, labels i mod 10) as raw IDX files. */
    public static void writeMnistFolder(Path dir, int train, int test) throws IOException {
        IdxReaderTest.mnistFolder(dir, train, test, false);
    }

    /** The folder {@code parent/tiny} with 200 training and 100 test images, as most command-line tests use. */
    public static Path tinyMnistFolder(Path parent) throws IOException {
        Path dir = Files.createDirectories(parent.resolve("tiny"));
        writeMnistFolder(dir, 200, 100);
        return dir;
    }
}
