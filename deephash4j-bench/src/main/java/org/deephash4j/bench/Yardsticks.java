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

    /**
     * Runs a PyTorch yardstick ({@code command}: the Python interpreter, the script, its arguments), prints
     * its output and the ratio of its median ("median X ms" in its output) to {@code javaMs}; a failed
     * run is reported with {@code packages}, the Debian packages it needs.
     */
    static void comparePyTorch(java.util.List<String> command, double javaMs, String packages) throws java.io.IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
            System.err.println("[bench] the PyTorch side failed (apt-get install " + packages + "?):\n" + out);
            return;
        }
        System.out.println(out);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("median ([0-9.]+) ms").matcher(out);
        if (m.find()) {
            System.out.printf(java.util.Locale.ROOT, "ratio PyTorch / deephash4j (medians): %.2fx%n", Double.parseDouble(m.group(1)) / javaMs);
        }
    }
}
