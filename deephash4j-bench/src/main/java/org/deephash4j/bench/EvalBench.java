package org.deephash4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.CodesNpy;
import org.deephash4j.codes.Hamming;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.eval.EvalConfig;
import org.deephash4j.eval.RetrievalEvaluator;
import org.deephash4j.eval.RetrievalMetrics;
import org.deephash4j.io.Npy;
import org.deephash4j.io.NpyArray;
import org.deephash4j.util.ProgressListener;
import org.deephash4j.util.SeededRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench/run eval}: mAP@K of the evaluator against a NumPy implementation of the same definition,
 * on the same generated codes, in the same run.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"mAP@K of deephash4j's evaluator against a NumPy implementation of the same definition",
            "(per-query argsort, eval_numpy.py) on the same generated codes, in the same run."})
final class EvalBench implements Callable<Integer> {

    @Mixin
    Yardsticks yardsticks;


    @Option(names = "--queries", defaultValue = "1000", description = "Queries (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--database", defaultValue = "59000", description = "Database items (default: ${DEFAULT-VALUE}).")
    int database;

    @Option(names = "--bits", defaultValue = "64", description = "Code length (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "-k", defaultValue = "1000", description = "mAP cut-off (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--classes", defaultValue = "10", description = "Classes of the generated codes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--repeat", defaultValue = "7", description = "Timed repetitions of the Java side (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--python", defaultValue = "python3", description = "Python with NumPy for the reference (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--no-numpy", description = "Skip the NumPy side.")
    boolean noNumpy;

    @Option(names = "--processes", description = {"Also time `deephash eval` as a whole process (its full report, plots included)",
        "beside the NumPy script's whole process."})
    boolean processes;

    @Override
    public Integer call() throws Exception {
        BinaryCodes.checkBits(bits);
        SeededRandom random = new SeededRandom(42);
        float[][] centres = new float[classes][bits];
        for (float[] c : centres) {
            for (int j = 0; j < bits; j++) {
                c[j] = random.nextDouble() < 0.5 ? -1 : 1;
            }
        }
        int[] qc = new int[queries];
        int[] dc = new int[database];
        BinaryCodes q = codes(random, centres, qc);
        BinaryCodes db = codes(random, centres, dc);
        MultiHotLabels ql = MultiHotLabels.ofClasses(qc, classes);
        MultiHotLabels dbl = MultiHotLabels.ofClasses(dc, classes);
        System.err.printf(Locale.ROOT, "[bench] %d queries x %d database x %d bits, mAP@%d, %d classes, 30%% bit noise%n",
                queries, database, bits, k, classes);

        EvalConfig mapOnly = EvalConfig.mapOnly(k);
        Timed fast = time(q, ql, db, dbl, mapOnly, true);
        Timed unpruned = time(q, ql, db, dbl, mapOnly, false);
        Timed full = time(q, ql, db, dbl, EvalConfig.standard().withMapCutoffs(k), true);
        double value = fast.metrics().mapAt(k);
        if (value != unpruned.metrics().mapAt(k)) {
            throw new AssertionError("pruned and unpruned scans differ: " + value + " vs " + unpruned.metrics().mapAt(k));
        }
        System.out.printf(Locale.ROOT, "Hamming kernel: %s; pruned scan %s%n", Hamming.kernel(),
                RetrievalEvaluator.prunes(mapOnly, database) ? "used" : "not used (the cut-off is too large beside the database)");
        System.out.printf(Locale.ROOT, "deephash4j mAP@%d only, pruned scan: median %8.1f ms (min %.1f), mAP %.12f%n", k,
                fast.median(), fast.min(), value);
        System.out.printf(Locale.ROOT, "deephash4j mAP@%d only, every distance: median %8.1f ms (min %.1f), same mAP; "
                + "pruned %.1fx faster%n", k, unpruned.median(), unpruned.min(), unpruned.median() / fast.median());
        System.out.printf(Locale.ROOT, "deephash4j full report (+ tie-aware, P@K, R@K, PR by radius): median %.1f ms (min %.1f)%n",
                full.median(), full.min());
        if (noNumpy) {
            return 0;
        }
        Path dir = Files.createTempDirectory("deephash-bench-");
        try {
            CodesNpy.writeSigns(dir.resolve("query_codes.npy"), q);
            CodesNpy.writeSigns(dir.resolve("database_codes.npy"), db);
            Npy.write(dir.resolve("query_labels.npy"), NpyArray.ofLongs(Arrays.stream(qc).asLongStream().toArray(), queries));
            Npy.write(dir.resolve("database_labels.npy"), NpyArray.ofLongs(Arrays.stream(dc).asLongStream().toArray(), database));
            JsonNode ref = runNumpy(dir);
            if (ref == null) {
                return 0;
            }
            double numpyMs = ref.get("seconds").asDouble() * 1000;
            double numpyMap = ref.get("map").asDouble();
            System.out.printf(Locale.ROOT, "NumPy %s CalcTopMap (argsort per query): %8.1f ms, mAP %.12f%n",
                    ref.get("numpy").asText(), numpyMs, numpyMap);
            System.out.printf(Locale.ROOT, "ratio NumPy / deephash4j (median): %.1fx (full report: %.1fx); |difference| %.2e%n",
                    numpyMs / fast.median(), numpyMs / full.median(), Math.abs(numpyMap - value));
            if (processes) {
                wholeProcesses(dir, ref.get("process_seconds").asDouble());
            }
        } finally {
            org.deephash4j.io.Folders.deleteTree(dir);
        }
        return 0;
    }

    /** {@code deephash eval} on the benchmark's files as a whole process, beside the NumPy script's whole run. */
    private void wholeProcesses(Path dir, double numpySeconds) throws IOException, InterruptedException {
        Path launcher = WholeProcess.launcher();
        if (launcher == null) {
            return;
        }
        List<String> command = List.of(launcher.toString(), "eval", "--query-codes", dir.resolve("query_codes.npy").toString(),
                "--database-codes", dir.resolve("database_codes.npy").toString(), "--query-labels",
                dir.resolve("query_labels.npy").toString(), "--database-labels", dir.resolve("database_labels.npy").toString(),
                "-k", Integer.toString(k), "-o", dir.resolve("report").toString());
        double seconds = WholeProcess.median(command, java.util.Map.of(), Math.min(repeat, 3));
        List<String> noPlots = new ArrayList<>(command);
        noPlots.add("--no-plots");
        double withoutPlots = WholeProcess.median(noPlots, java.util.Map.of(), Math.min(repeat, 3));
        System.out.printf(Locale.ROOT, "whole processes: `deephash eval -k %d` (full report) %.3f s with plots, %.3f s with --no-plots; "
                + "NumPy script (mAP only) %.3f s; ratio NumPy / deephash %.1fx, %.1fx%n", k, seconds, withoutPlots, numpySeconds,
                numpySeconds / seconds, numpySeconds / withoutPlots);
    }

    private BinaryCodes codes(SeededRandom random, float[][] centres, int[] classOut) {
        float[] v = new float[classOut.length * bits];
        for (int i = 0; i < classOut.length; i++) {
            int c = random.nextInt(classes);
            classOut[i] = c;
            for (int j = 0; j < bits; j++) {
                v[i * bits + j] = random.nextDouble() < 0.3 ? -centres[c][j] : centres[c][j];
            }
        }
        return BinaryCodes.fromSigns(v, bits, null);
    }

    /** Median and minimum milliseconds of an evaluation, and the figures of its last run. */
    private record Timed(double median, double min, RetrievalMetrics metrics) {
    }

    /** Times {@link #repeat} runs after two warm-up runs. */
    private Timed time(BinaryCodes q, MultiHotLabels ql, BinaryCodes db, MultiHotLabels dbl, EvalConfig config, boolean prune) {
        List<Double> ms = new ArrayList<>();
        RetrievalMetrics m = null;
        for (int i = 0; i < repeat + 2; i++) {
            long t = System.nanoTime();
            m = RetrievalEvaluator.evaluate(q, ql, db, dbl, config, ProgressListener.NONE, prune);
            double elapsed = (System.nanoTime() - t) / 1e6;
            if (i >= 2) {
                ms.add(elapsed);
            }
            if (m.queries() != queries) {
                throw new AssertionError();
            }
        }
        return new Timed(Timings.median(ms), Timings.min(ms), m);
    }

    private JsonNode runNumpy(Path dir) throws IOException, InterruptedException {
        Path script = yardsticks.find("eval_numpy.py");
        if (script == null) {
            System.err.println("[bench] eval_numpy.py not found in " + yardsticks.folder() + "; NumPy side skipped");
            return null;
        }
        System.err.println("[bench] running the NumPy reference (" + python + " " + script + "); this takes a while");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(python, script.toString(), dir.toString(), Integer.toString(k))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
            System.err.println("[bench] the NumPy reference failed (is NumPy installed for " + python + "?); skipped");
            return null;
        }
        com.fasterxml.jackson.databind.node.ObjectNode result = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(out);
        return result.put("process_seconds", (System.nanoTime() - start) / 1e9);
    }

}
