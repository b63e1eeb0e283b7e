package org.deephash4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.index.FlatIndex;
import org.deephash4j.index.HammingIndex;
import org.deephash4j.index.MultiIndexHashing;
import org.deephash4j.index.SearchResult;
import org.deephash4j.util.SeededRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench/run search}: k-NN search speed, flat scan against the C reference and against MIH. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"k-NN search speed on random (or clustered) 64-bit codes, side by side in one run:",
            "the flat index against the C reference scan (bench/c_hamming_knn.c, gcc -O3 -march=native -fopenmp)",
            "on the same codes (checksums compared), and multi-index hashing against the flat index."})
final class SearchBench implements Callable<Integer> {

    @Mixin
    Yardsticks yardsticks;

    @Option(names = "--queries", defaultValue = "1000", description = "Queries (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--database", defaultValue = "1000000", description = "Database codes (default: ${DEFAULT-VALUE}).")
    int database;

    @Option(names = "-k", defaultValue = "100", description = "Neighbours (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--repeat", defaultValue = "5", description = "Timed repetitions (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--mih", description = "Also time multi-index hashing on the same codes and queries.")
    boolean mih;

    @Option(names = "--substrings", defaultValue = "0", description = "MIH substrings (default: chosen by the index).")
    int substrings;

    @Option(names = "--no-c", description = "Skip the C reference.")
    boolean noC;

    @Option(names = "--clustered", paramLabel = "CENTRES",
            description = "Codes drawn around this many random centres with 0-3 bits flipped; queries likewise (no C side).")
    Integer clustered;

    @Override
    public Integer call() throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        long[] words = new long[database + queries];
        if (clustered == null) {
            // The C reference's xorshift64 with its seed: database codes first, then queries.
            long rng = 88172645463325252L;
            for (int i = 0; i < words.length; i++) {
                rng ^= rng << 13;
                rng ^= rng >>> 7;
                rng ^= rng << 17;
                words[i] = rng;
            }
        } else {
            SeededRandom r = new SeededRandom(7);
            long[] centres = new long[clustered];
            for (int c = 0; c < centres.length; c++) {
                centres[c] = r.nextLong();
            }
            for (int i = 0; i < words.length; i++) {
                long w = centres[r.nextInt(centres.length)];
                for (int f = r.nextInt(4); f > 0; f--) {
                    w ^= 1L << r.nextInt(64);
                }
                words[i] = w;
            }
        }
        BinaryCodes db = BinaryCodes.of(64, java.util.Arrays.copyOf(words, database), null);
        BinaryCodes q = BinaryCodes.of(64, java.util.Arrays.copyOfRange(words, database, words.length), null);
        System.err.printf(Locale.ROOT, "[bench] %d queries x %d %s 64-bit codes, k = %d, %d threads%n", queries, database,
                clustered == null ? "random" : "clustered (" + clustered + " centres)", k, threads);
        FlatIndex flat = new FlatIndex(64);
        flat.add(db);
        System.out.printf(Locale.ROOT, "flat index heap: %.1f MB%n", flat.heapBytes() / 1e6);
        List<Double> javaTimes = new ArrayList<>();
        List<Double> cTimes = new ArrayList<>();
        long checksum = 0;
        Path cBinary = noC || clustered != null ? null : compileC();
        for (int rep = 0; rep < repeat + 1; rep++) {
            long t = System.nanoTime();
            SearchResult r = flat.search(q, k);
            double s = (System.nanoTime() - t) / 1e9;
            if (rep > 0) {
                javaTimes.add(s);
            }
            checksum = checksum(r);
            if (cBinary != null && rep > 0) {
                cTimes.add(runC(cBinary, threads, checksum));
            }
        }
        double flatMedian = Timings.median(javaTimes);
        System.out.printf(Locale.ROOT, "deephash4j FlatIndex: median %.3f s (min %.3f), %.2f G codes/s, checksum %s%n", flatMedian,
                Timings.min(javaTimes), (double) queries * database / flatMedian / 1e9, Long.toUnsignedString(checksum));
        if (!cTimes.isEmpty()) {
            double c = Timings.median(cTimes);
            System.out.printf(Locale.ROOT, "C reference:          median %.3f s (min %.3f), %.2f G codes/s, same checksum%n", c,
                    Timings.min(cTimes), (double) queries * database / c / 1e9);
            System.out.printf(Locale.ROOT, "ratio C / deephash4j (medians): %.2fx%n", c / flatMedian);
        }
        if (mih) {
            long t0 = System.nanoTime();
            HammingIndex index = new MultiIndexHashing(64, substrings);
            index.add(db);
            double build = (System.nanoTime() - t0) / 1e9;
            List<Double> mihTimes = new ArrayList<>();
            for (int rep = 0; rep < repeat + 1; rep++) {
                long t = System.nanoTime();
                SearchResult r = index.search(q, k);
                double s = (System.nanoTime() - t) / 1e9;
                if (rep > 0) {
                    mihTimes.add(s);
                }
                if (checksum(r) != checksum) {
                    throw new AssertionError("MIH and flat results differ");
                }
            }
            double m = Timings.median(mihTimes);
            System.out.printf(Locale.ROOT, "deephash4j MultiIndexHashing (%d substrings, built in %.1f s, heap %.0f MB): median %.3f s "
                    + "(min %.3f), %.3f ms per query; same results as flat%n", ((MultiIndexHashing) index).substrings(), build,
                    index.heapBytes() / 1e6, m, Timings.min(mihTimes), m * 1000 / queries);
            System.out.printf(Locale.ROOT, "flat: %.3f ms per query; ratio flat / MIH: %.1fx%n", flatMedian * 1000 / queries,
                    flatMedian / m);
        }
        return 0;
    }

    /** The C reference's checksum: sum = sum * 31 + position over every result, as unsigned 64-bit. */
    private static long checksum(SearchResult r) {
        long sum = 0;
        for (long id : r.ids()) {
            sum = sum * 31 + id;
        }
        return sum;
    }

    private Path compileC() throws IOException, InterruptedException {
        Path src = yardsticks.find("c_hamming_knn.c");
        if (src == null) {
            System.err.println("[bench] c_hamming_knn.c not found in " + yardsticks.folder() + ": C side skipped");
            return null;
        }
        Path bin = Files.createTempFile("c_hamming_knn", "");
        Process p = new ProcessBuilder("gcc", "-O3", "-march=native", "-fopenmp", "-o", bin.toString(), src.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            System.err.println("[bench] gcc failed, C side skipped:\n" + out);
            return null;
        }
        bin.toFile().deleteOnExit();
        return bin;
    }

    private double runC(Path bin, int threads, long expectedChecksum) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(bin.toString(), Integer.toString(queries), Integer.toString(database), Integer.toString(k),
                Integer.toString(threads)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile(": ([0-9.]+) s, .* checksum ([0-9]+)").matcher(out);
        if (!m.find()) {
            throw new IOException("unexpected output of the C reference: " + out);
        }
        if (!Long.toUnsignedString(expectedChecksum).equals(m.group(2))) {
            throw new AssertionError("C and Java results differ: checksum " + m.group(2) + " vs "
                    + Long.toUnsignedString(expectedChecksum));
        }
        return Double.parseDouble(m.group(1));
    }


}
