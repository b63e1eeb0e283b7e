package org.deephash4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.CodeFile;
import org.deephash4j.codes.Hamming;
import org.deephash4j.index.FlatIndex;
import org.deephash4j.index.HammingIndex;
import org.deephash4j.index.IndexFile;
import org.deephash4j.index.MultiIndexHashing;
import org.deephash4j.index.SearchResult;
import org.deephash4j.util.SeededRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench/run search}: k-NN search speed, flat scan against the C scans, the popcount roofline and MIH. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"k-NN search speed on random (or clustered) 64-bit codes, side by side in one run:",
            "the flat index against the C scans of the yardsticks folder (c_hamming_knn.c, one query at a time, and",
            "knn_blocked.c, blocked and fused; gcc -O3 -march=native -fopenmp) on the same codes (checksums compared),",
            "optionally the popcount roofline (roofline.c, with and without VPOPCNTDQ), multi-index hashing, and",
            "one-shot search commands as whole processes."})
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

    @Option(names = "--no-c", description = "Skip the C scans.")
    boolean noC;

    @Option(names = "--processes", description = {"Also time one-shot commands as whole processes: `deephash search` on saved",
        "flat and MIH index files against c_hamming_knn.c's whole run, and the loading of both index files."})
    boolean processes;

    @Option(names = "--roofline", description = "Also run roofline.c (DRAM bandwidth; L1 XOR+popcount, vector and scalar).")
    boolean roofline;

    /** The C scans, weakest first: each prints its time and the checksum of its results. */
    private static final List<String> C_SCANS = List.of("c_hamming_knn.c", "knn_blocked.c");

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
        List<Path> cBinaries = new ArrayList<>();
        List<List<Double>> cTimes = new ArrayList<>();
        if (!noC && clustered == null) {
            for (String name : C_SCANS) {
                Path bin = compileC(name, List.of());
                if (bin != null) {
                    cBinaries.add(bin);
                    cTimes.add(new ArrayList<>());
                }
            }
        }
        long checksum = 0;
        for (int rep = 0; rep < repeat + 1; rep++) {
            long t = System.nanoTime();
            SearchResult r = flat.search(q, k);
            double s = (System.nanoTime() - t) / 1e9;
            if (rep > 0) {
                javaTimes.add(s);
            }
            checksum = checksum(r);
            for (int c = 0; c < cBinaries.size() && rep > 0; c++) {
                cTimes.get(c).add(runC(cBinaries.get(c), threads, checksum));
            }
        }
        double flatMedian = Timings.median(javaTimes);
        System.out.printf(Locale.ROOT, "deephash4j FlatIndex (%s kernel): median %.3f s (min %.3f), %.2f G codes/s, checksum %s%n",
                Hamming.kernel(), flatMedian, Timings.min(javaTimes), (double) queries * database / flatMedian / 1e9,
                Long.toUnsignedString(checksum));
        for (int c = 0; c < cBinaries.size(); c++) {
            double m = Timings.median(cTimes.get(c));
            String name = cBinaries.get(c).getFileName().toString().replaceFirst("[0-9]*$", "");
            System.out.printf(Locale.ROOT, "%-20s median %.3f s (min %.3f), %.2f G codes/s, same checksum; "
                    + "ratio %s / FlatIndex (medians): %.2fx%n", name + ":", m, Timings.min(cTimes.get(c)),
                    (double) queries * database / m / 1e9, name, m / flatMedian);
        }
        if (roofline) {
            runRoofline();
        }
        MultiIndexHashing index = null;
        if (mih || processes) {
            long t0 = System.nanoTime();
            index = new MultiIndexHashing(64, substrings);
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
                    + "(min %.3f), %.3f ms per query; same results as flat%n", index.substrings(), build,
                    index.heapBytes() / 1e6, m, Timings.min(mihTimes), m * 1000 / queries);
            System.out.printf(Locale.ROOT, "flat: %.3f ms per query; ratio flat / MIH: %.1fx%n", flatMedian * 1000 / queries,
                    flatMedian / m);
        }
        if (processes) {
            oneShot(flat, index, q, checksum, cBinaries.isEmpty() ? null : cBinaries.get(0), threads);
        }
        return 0;
    }

    /**
     * Saves both indexes and the queries, times loading each index file in this process (page cache warm),
     * then one-shot {@code deephash search} processes on each against the C scan's whole run; every run's
     * results are checked against the in-process checksum.
     */
    private void oneShot(FlatIndex flat, MultiIndexHashing mihIndex, BinaryCodes q, long checksum, Path cScan, int threads)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("deephash-bench-");
        try {
            Path flatFile = dir.resolve("flat.dhi");
            Path mihFile = dir.resolve("mih.dhi");
            Path queryFile = dir.resolve("queries.dhc");
            IndexFile.save(flatFile, flat);
            IndexFile.save(mihFile, mihIndex);
            CodeFile.write(queryFile, q);
            List<List<Double>> loads = List.of(new ArrayList<>(), new ArrayList<>());
            List<Path> files = List.of(flatFile, mihFile);
            for (int rep = 0; rep < repeat + 1; rep++) {
                for (int f = 0; f < 2; f++) {
                    long t = System.nanoTime();
                    HammingIndex loaded = IndexFile.load(files.get(f));
                    double s = (System.nanoTime() - t) / 1e9;
                    if (rep > 0) {
                        loads.get(f).add(s);
                    } else if (checksum(loaded.search(q, k)) != checksum) {
                        throw new AssertionError(files.get(f).getFileName() + " loaded gives other results");
                    }
                }
            }
            double flatLoad = Timings.median(loads.get(0));
            double mihLoad = Timings.median(loads.get(1));
            System.out.printf(Locale.ROOT, "index file load (in-process, page cache warm, checks and checksum included): flat %.3f s "
                    + "(%.0f MB), MIH %.3f s (%.0f MB, tables stored); MIH extra %.3f s%n", flatLoad, Files.size(flatFile) / 1e6,
                    mihLoad, Files.size(mihFile) / 1e6, mihLoad - flatLoad);
            HammingIndex mapped = IndexFile.load(mihFile);
            List<Double> mappedTimes = new ArrayList<>();
            for (int rep = 0; rep < repeat + 1; rep++) {
                long t = System.nanoTime();
                mapped.search(q, k);
                mappedTimes.add((System.nanoTime() - t) / 1e9);
            }
            System.out.printf(Locale.ROOT, "MIH loaded from its file (tables mapped, heap %.1f MB): first search %.3f s, then median %.3f s%n",
                    mapped.heapBytes() / 1e6, mappedTimes.get(0), Timings.median(mappedTimes.subList(1, mappedTimes.size())));
            Path launcher = WholeProcess.launcher();
            if (launcher == null) {
                return;
            }
            Path out = dir.resolve("results.csv");
            double[] wall = new double[2];
            for (int f = 0; f < 2; f++) {
                wall[f] = WholeProcess.median(searchCommand(launcher, files.get(f), queryFile, out), Map.of(), repeat);
                if (csvChecksum(out) != checksum) {
                    throw new AssertionError("deephash search on " + files.get(f).getFileName() + " wrote other results");
                }
            }
            System.out.printf(Locale.ROOT, "one-shot `deephash search` process (load, search, write %d x %d CSV rows): flat %.3f s, "
                    + "MIH %.3f s (medians)%n", queries, k, wall[0], wall[1]);
            if (cScan != null) {
                List<String> command = List.of(cScan.toString(), Integer.toString(queries), Integer.toString(database),
                        Integer.toString(k), Integer.toString(threads));
                double c = WholeProcess.median(command, Map.of(), repeat);
                System.out.printf(Locale.ROOT, "c_hamming_knn whole process (generate codes, search): %.3f s; "
                        + "ratio C / deephash flat process: %.2fx, C / deephash MIH process: %.2fx%n", c, c / wall[0], c / wall[1]);
            }
            startUpWithAotCache(launcher, dir, searchCommand(launcher, flatFile, queryFile, out));
        } finally {
            org.deephash4j.io.Folders.deleteTree(dir);
        }
    }

    private List<String> searchCommand(Path launcher, Path index, Path queryFile, Path out) {
        return List.of(launcher.toString(), "search", "--index", index.toString(), "--queries", queryFile.toString(), "-k",
                Integer.toString(k), "-o", out.toString());
    }

    /**
     * Whole-process times of {@code deephash --help} and of {@code search} without and with a JDK AOT cache
     * (class loading and linking, method profiles) recorded by one earlier run of the same command.
     */
    private void startUpWithAotCache(Path launcher, Path dir, List<String> search) throws IOException, InterruptedException {
        List<List<String>> commands = List.of(List.of(launcher.toString(), "--help"), search);
        List<String> names = List.of("deephash --help", "deephash search (flat)");
        for (int c = 0; c < commands.size(); c++) {
            Path cache = dir.resolve("command" + c + ".aot");
            WholeProcess.run(commands.get(c), WholeProcess.recordingAotCache(cache));
            double without = WholeProcess.median(commands.get(c), Map.of(), repeat);
            double with = WholeProcess.median(commands.get(c), WholeProcess.usingAotCache(cache), repeat);
            System.out.printf(Locale.ROOT, "%s process: %.3f s without an AOT cache, %.3f s with one (%.0f MB); ratio %.2fx%n",
                    names.get(c), without, with, Files.size(cache) / 1e6, without / with);
        }
    }

    /** {@link #checksum} of a search's CSV output (query_id,rank,id,distance; rows in result order). */
    private static long csvChecksum(Path csv) throws IOException {
        long sum = 0;
        try (var lines = Files.lines(csv)) {
            for (String line : (Iterable<String>) lines.skip(1)::iterator) {
                sum = sum * 31 + Long.parseLong(line.split(",")[2]);
            }
        }
        return sum;
    }

    /** The C reference's checksum: sum = sum * 31 + position over every result, as unsigned 64-bit. */
    private static long checksum(SearchResult r) {
        long sum = 0;
        for (long id : r.ids()) {
            sum = sum * 31 + id;
        }
        return sum;
    }

    /** Compiles a C yardstick with gcc -O3 -march=native -fopenmp and the extra flags; null (with a message) if it cannot. */
    private Path compileC(String name, List<String> extraFlags) throws IOException, InterruptedException {
        Path src = yardsticks.find(name);
        if (src == null) {
            System.err.println("[bench] " + name + " not found in " + yardsticks.folder() + ": skipped");
            return null;
        }
        Path bin = Files.createTempFile(name.replace(".c", ""), "");
        List<String> command = new ArrayList<>(List.of("gcc", "-O3", "-march=native", "-fopenmp"));
        command.addAll(extraFlags);
        command.addAll(List.of("-o", bin.toString(), src.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            System.err.println("[bench] gcc failed on " + name + ", skipped:\n" + out);
            return null;
        }
        bin.toFile().deleteOnExit();
        return bin;
    }

    /** Runs roofline.c built with the vector popcount and without it, printing its lines. */
    private void runRoofline() throws IOException, InterruptedException {
        for (List<String> flags : List.of(List.<String>of(), List.of("-mno-avx512vpopcntdq"))) {
            Path bin = compileC("roofline.c", flags);
            if (bin == null) {
                return;
            }
            Process p = new ProcessBuilder(bin.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            String label = flags.isEmpty() ? "roofline (vector popcount)" : "roofline (-mno-avx512vpopcntdq)";
            for (String line : out.strip().split("\n")) {
                System.out.println(label + ": " + line);
            }
        }
    }

    private double runC(Path bin, int threads, long expectedChecksum) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(bin.toString(), Integer.toString(queries), Integer.toString(database), Integer.toString(k),
                Integer.toString(threads)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile(": ([0-9.]+) s, .* checksum ([0-9]+)").matcher(out);
        if (!m.find()) {
            throw new IOException("unexpected output of " + bin.getFileName() + ": " + out);
        }
        if (!Long.toUnsignedString(expectedChecksum).equals(m.group(2))) {
            throw new AssertionError(bin.getFileName() + " and Java results differ: checksum " + m.group(2) + " vs "
                    + Long.toUnsignedString(expectedChecksum));
        }
        return Double.parseDouble(m.group(1));
    }


}
