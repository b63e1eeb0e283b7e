package org.deephash4j.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.elasticsearch.EsCodeIndex;
import org.deephash4j.elasticsearch.LocalElasticsearch;
import org.deephash4j.elasticsearch.Recall;
import org.deephash4j.index.FlatIndex;
import org.deephash4j.index.HammingIndex;
import org.deephash4j.index.MultiIndexHashing;
import org.deephash4j.index.SearchResult;
import org.deephash4j.util.SeededRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/run es}: Elasticsearch beside the local indexes on the same codes and queries, in one run.
 * A local Elasticsearch (the distribution zip) is started and stopped by the benchmark.
 */
@Command(name = "es", mixinStandardHelpOptions = true,
        description = {"Elasticsearch 8.15 bit vectors (exact 'flat' and approximate 'hnsw') beside FlatIndex and multi-index",
            "hashing, on the same clustered 64-bit codes and queries, one query at a time: load time, per-query latency,",
            "HNSW recall@k against exact."})
final class EsBench implements Callable<Integer> {

    @Option(names = "--sizes", split = ",", defaultValue = "100000,1000000", description = "Database sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--queries", defaultValue = "200", description = "Queries (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "-k", defaultValue = "10", description = "Neighbours (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--num-candidates", defaultValue = "100", description = "HNSW candidates (default: ${DEFAULT-VALUE}).")
    int numCandidates;

    @Option(names = "--distribution", paramLabel = "ZIP", description = "Elasticsearch distribution zip (default: Maven's copy).")
    Path distribution;

    @Override
    public Integer call() throws Exception {
        Path zip = distribution != null ? distribution : LocalElasticsearch.defaultDistribution();
        Path work = Files.createTempDirectory("deephash-es-bench-");
        try (LocalElasticsearch es = LocalElasticsearch.start(zip, work, null)) {
            ElasticsearchClient client = EsCodeIndex.connect(es.url());
            try {
                for (int n : sizes) {
                    run(client, n);
                }
            } finally {
                client._transport().close();
            }
        } finally {
            org.deephash4j.io.Folders.deleteTree(work);
        }
        return 0;
    }

    /** Codes around 5,000 centres with 0-6 bits flipped: neighbours exist, as with learned codes. */
    private static BinaryCodes clustered(int n, SeededRandom r, long[] centres) {
        long[] w = new long[n];
        for (int i = 0; i < n; i++) {
            long c = centres[r.nextInt(centres.length)];
            for (int f = r.nextInt(7); f > 0; f--) {
                c ^= 1L << r.nextInt(64);
            }
            w[i] = c;
        }
        return BinaryCodes.of(64, w, null);
    }

    private void run(ElasticsearchClient client, int n) throws Exception {
        SeededRandom r = new SeededRandom(17);
        long[] centres = new long[5_000];
        for (int c = 0; c < centres.length; c++) {
            centres[c] = r.nextLong();
        }
        BinaryCodes db = clustered(n, r, centres);
        BinaryCodes q = clustered(queries, r, centres);
        FlatIndex flat = new FlatIndex(64);
        flat.add(db);
        MultiIndexHashing mih = new MultiIndexHashing(64);
        mih.add(db);
        SearchResult exact = flat.search(q, k);
        System.out.printf(Locale.ROOT, "%,d clustered 64-bit codes, %d queries one at a time, k = %d:%n", n, queries, k);
        report("FlatIndex (in-process)", perQuery(flat, q), 1.0);
        report("MultiIndexHashing (in-process)", perQuery(mih, q), 1.0);
        for (EsCodeIndex.VectorIndex type : EsCodeIndex.VectorIndex.values()) {
            EsCodeIndex index = new EsCodeIndex(client, "bench-" + type.name().toLowerCase(Locale.ROOT));
            long t0 = System.nanoTime();
            index.create(64, type, true);
            index.push(db, null, 10_000);
            double load = (System.nanoTime() - t0) / 1e9;
            int candidates = type == EsCodeIndex.VectorIndex.FLAT ? k : numCandidates;
            List<Double> ms = new ArrayList<>();
            SearchResult all = null;
            long[] ids = new long[queries * k];
            int[] dist = new int[queries * k];
            for (int rep = 0; rep < 2; rep++) {
                ms.clear();
                for (int i = 0; i < queries; i++) {
                    long t = System.nanoTime();
                    SearchResult one = index.search(q.subset(new int[] {i}), k, candidates, Set.of());
                    ms.add((System.nanoTime() - t) / 1e6);
                    for (int j = 0; j < Math.min(k, one.k()); j++) {
                        ids[i * k + j] = one.id(0, j);
                        dist[i * k + j] = one.distance(0, j);
                    }
                }
            }
            all = new SearchResult(queries, k, ids, dist);
            double recall = Recall.atK(exact, all, k);
            System.out.printf(Locale.ROOT, "  loaded into Elasticsearch (%s) in %.1f s%n", type.name().toLowerCase(Locale.ROOT), load);
            report("Elasticsearch " + type.name().toLowerCase(Locale.ROOT) + (type == EsCodeIndex.VectorIndex.HNSW
                    ? " (num_candidates " + numCandidates + ")" : "") + " over HTTP", ms, recall);
        }
    }

    /** Per-query milliseconds of one-query searches (after a warm-up pass). */
    private List<Double> perQuery(HammingIndex index, BinaryCodes q) {
        List<Double> ms = new ArrayList<>();
        for (int rep = 0; rep < 2; rep++) {
            ms.clear();
            for (int i = 0; i < q.size(); i++) {
                BinaryCodes one = q.subset(new int[] {i});
                long t = System.nanoTime();
                index.search(one, k);
                ms.add((System.nanoTime() - t) / 1e6);
            }
        }
        return ms;
    }

    private static void report(String what, List<Double> ms, double recall) {
        List<Double> s = new ArrayList<>(ms);
        s.sort(null);
        System.out.printf(Locale.ROOT, "  %-58s p50 %7.3f ms, p99 %7.3f ms, recall@k %.3f%n", what, s.get(s.size() / 2),
                s.get((int) Math.min(s.size() - 1, s.size() * 0.99)), recall);
    }
}
