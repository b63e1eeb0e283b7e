package org.deephash4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the reference programs the benchmarks run side by side live (C scans, NumPy and PyTorch
 * scripts): the folder given with {@code --yardsticks}, by default the repository's {@code bench/}
 * (the {@code bench/run} launcher passes it). A picocli mixin.
 */
final class Yardsticks {

    @Option(names = "--yardsticks", paramLabel = "DIR", defaultValue = "${sys:deephash.bench.dir:-bench}",
            description = "Folder of the reference programs (default: ${DEFAULT-VALUE}).")
    Path folder;

    /** The folder searched. */
    Path folder() {
        return folder.toAbsolutePath();
    }

    /** The reference program {@code name} in the folder, or {@code null} if it is not there. */
    Path find(String name) {
        Path p = folder.resolve(name);
        return Files.isRegularFile(p) ? p : null;
    }
}
