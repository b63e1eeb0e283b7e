package org.deephash4j.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.index.FlatIndex;
import org.deephash4j.index.IndexFile;
import org.deephash4j.server.InitialData;
import org.deephash4j.server.http.SearchServer;
import org.deephash4j.server.http.ServerOptions;
import org.deephash4j.server.store.ServedIndex;
import org.deephash4j.util.SeededRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/run serve}: the search service under load, on loopback. An index of random 64-bit codes;
 * concurrent clients, each in a loop of 90 % searches by code (k = 10) and 10 % single-item adds, for a
 * bounded time; then the same searches through the library (no HTTP), to show what HTTP costs.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"The search service under load on loopback: clients searching by code (90 %) and adding items (10 %)",
            "against an index of random 64-bit codes; errors, throughput, p50 / p99 latency; then the same searches",
            "through the library directly."})
final class ServeLoadBench implements Callable<Integer> {

    private static final String KEY = "bench-key-0123456789abcdef";

    @Option(names = "--codes", defaultValue = "1000000", description = "Codes in the index (default: ${DEFAULT-VALUE}).")
    int codes;

    @Option(names = "--clients", defaultValue = "50", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--seconds", defaultValue = "60", description = "Duration of each phase, at most 600 (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "-k", defaultValue = "10", description = "Neighbours per search (default: ${DEFAULT-VALUE}).")
    int k;

    /** Latencies of one kind of operation, in microseconds, and its errors. */
    private static final class Tally {
        final long[][] perClient;
        final int[] counts;
        final AtomicLong errors = new AtomicLong();

        Tally(int clients) {
            perClient = new long[clients][1 << 16];
            counts = new int[clients];
        }

        void add(int client, long micros) {
            if (counts[client] == perClient[client].length) {
                perClient[client] = Arrays.copyOf(perClient[client], counts[client] * 2);
            }
            perClient[client][counts[client]++] = micros;
        }

        long[] all() {
            int n = Arrays.stream(counts).sum();
            long[] out = new long[n];
            int o = 0;
            for (int c = 0; c < counts.length; c++) {
                System.arraycopy(perClient[c], 0, out, o, counts[c]);
                o += counts[c];
            }
            Arrays.sort(out);
            return out;
        }

        String summary(String what, double secondsRun) {
            long[] a = all();
            if (a.length == 0) {
                return what + ": none";
            }
            return String.format(Locale.ROOT, "%s: %d in %.0f s = %.0f/s, p50 %.2f ms, p99 %.2f ms, errors %d", what, a.length,
                    secondsRun, a.length / secondsRun, a[a.length / 2] / 1e3, a[(int) Math.min(a.length - 1, a.length * 0.99)] / 1e3,
                    errors.get());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || seconds > 600 || clients < 1 || clients > 1000) {
            throw new IllegalArgumentException("--seconds in [1, 600], --clients in [1, 1000]");
        }
        Path dir = Files.createTempDirectory("deephash-serve-bench-");
        try {
            SeededRandom r = new SeededRandom(5);
            long[] words = new long[codes];
            for (int i = 0; i < codes; i++) {
                words[i] = r.nextLong();
            }
            FlatIndex flat = new FlatIndex(64);
            flat.add(BinaryCodes.of(64, words, null));
            Path file = dir.resolve("load.dhi");
            IndexFile.save(file, flat);
            ServerOptions options = ServerOptions.defaults("127.0.0.1", 0, dir.resolve("data"), KEY, Map.of());
            try (SearchServer server = SearchServer.start(options)) {
                server.awaitReady(Duration.ofMinutes(5));
                long t0 = System.nanoTime();
                InitialData.importIndexFile(server.registry(), file, "load", null);
                System.err.printf(Locale.ROOT, "[bench] %d codes loaded into the service in %.1f s; %d clients, %d s, k = %d%n", codes,
                        (System.nanoTime() - t0) / 1e9, clients, seconds, k);
                overHttp(server.port());
                ServedIndex index = server.registry().get("load").orElseThrow();
                library(index);
            }
        } finally {
            org.deephash4j.io.Folders.deleteTree(dir);
        }
        return 0;
    }

    /** One operation of client {@code client}, drawing from its own random sequence. */
    @FunctionalInterface
    private interface Step {
        void run(int client, SeededRandom r);
    }

    /** Runs {@link #clients} threads, each repeating {@code step} until the phase's {@link #seconds} are over. */
    private void runClients(Step step) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int me = c;
            threads.add(Thread.ofPlatform().start(() -> {
                SeededRandom r = new SeededRandom(100 + me);
                while (System.nanoTime() < end) {
                    step.run(me, r);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void overHttp(int port) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + port + "/v1/indexes/load";
        Tally searches = new Tally(clients);
        Tally adds = new Tally(clients);
        AtomicLong nextId = new AtomicLong(codes);
        runClients((me, r) -> {
            boolean add = r.nextInt(10) == 0;
            String code = HexFormat.of().toHexDigits(r.nextLong());
            HttpRequest req = add
                    ? HttpRequest.newBuilder(URI.create(base + "/items")).header("X-API-Key", KEY)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"items\": [{\"id\": " + nextId.getAndIncrement()
                                    + ", \"code\": \"" + code + "\"}]}")).build()
                    : HttpRequest.newBuilder(URI.create(base + "/search"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"code\": \"" + code + "\", \"k\": " + k + "}")).build();
            long t = System.nanoTime();
            Tally tally = add ? adds : searches;
            try {
                HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() / 100 != 2) {
                    tally.errors.incrementAndGet();
                    return;
                }
            } catch (Exception e) {
                tally.errors.incrementAndGet();
                return;
            }
            tally.add(me, (System.nanoTime() - t) / 1000);
        });
        System.out.println("HTTP, " + clients + " clients, 90 % search / 10 % add:");
        System.out.println("  " + searches.summary("searches by code", seconds));
        System.out.println("  " + adds.summary("adds (fsynced)", seconds));
        System.out.printf(Locale.ROOT, "  total: %.0f requests/s%n", (searches.all().length + adds.all().length) / (double) seconds);
    }

    private void library(ServedIndex index) throws InterruptedException {
        Tally searches = new Tally(clients);
        runClients((me, r) -> {
            BinaryCodes q = BinaryCodes.of(64, new long[] {r.nextLong()}, new long[] {0});
            long t = System.nanoTime();
            index.view().search(q, k, Set.of());
            searches.add(me, (System.nanoTime() - t) / 1000);
        });
        System.out.println("library (ServedIndex.view().search, no HTTP), " + clients + " threads:");
        System.out.println("  " + searches.summary("searches by code", seconds));
    }
}
