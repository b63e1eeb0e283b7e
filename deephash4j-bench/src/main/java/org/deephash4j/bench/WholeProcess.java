package org.deephash4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs whole processes and times them from start to exit, as a user running a one-shot command sees
 * them: the deephash launcher's commands beside the C and NumPy reference programs.
 */
final class WholeProcess {

    /** System property with the path of the {@code deephash} launcher; {@code bench/run} sets it. */
    static final String LAUNCHER_PROPERTY = "deephash.launcher";

    private WholeProcess() {
    }

    /** The {@code deephash} launcher, or null (with a message) when the benchmark was not started by {@code bench/run}. */
    static Path launcher() {
        String p = System.getProperty(LAUNCHER_PROPERTY);
        if (p == null || !Files.isExecutable(Path.of(p))) {
            System.err.println("[bench] the deephash launcher is unknown (run through bench/run): whole-process runs skipped");
            return null;
        }
        return Path.of(p);
    }

    /** The command's output (stdout and stderr) and its wall-clock seconds from start to exit. */
    record Run(String output, double seconds) {
    }

    /**
     * Runs {@code command} with {@code env} added to this process's environment, to completion; fails with
     * its output if it exits with an error or takes over ten minutes.
     */
    static Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        long t = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - t) / 1e9;
        if (!done || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed:\n" + out);
        }
        return new Run(out, seconds);
    }

    /** Median wall-clock seconds of {@code repeat} runs (with {@code env} added) after one warm-up run. */
    static double median(List<String> command, Map<String, String> env, int repeat) throws IOException, InterruptedException {
        run(command, env);
        List<Double> s = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            s.add(run(command, env).seconds());
        }
        return Timings.median(s);
    }

    /** The launcher's extra JVM options (its {@code DEEPHASH_JAVA_OPTS}) that record an AOT cache into {@code cache}. */
    static Map<String, String> recordingAotCache(Path cache) {
        return Map.of("DEEPHASH_JAVA_OPTS", "-XX:AOTCacheOutput=" + cache + " -Xlog:aot=off -Xlog:cds=off");
    }

    /** The launcher's extra JVM options that use the AOT cache {@code cache}. */
    static Map<String, String> usingAotCache(Path cache) {
        return Map.of("DEEPHASH_JAVA_OPTS", "-XX:AOTCache=" + cache);
    }
}
