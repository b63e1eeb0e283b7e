package org.deephash4j.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.index.FlatIndex;
import org.deephash4j.index.RangeResult;
import org.deephash4j.index.SearchResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against a real Elasticsearch 8.15 (the distribution zip Maven fetched, run on loopback, as an
 * unprivileged user when the build runs as root): exact kNN over bit vectors gives the flat scan's
 * neighbours, label filters included; HNSW's recall is measured.
 */
class EsCodeIndexIntegrationTest {

    private static LocalElasticsearch es;
    private static Path work;
    private static ElasticsearchClient client;
    private static BinaryCodes codes;
    private static MultiHotLabels labels;
    private static BinaryCodes queries;

    @BeforeAll
    static void start() throws Exception {
        Path zip = Path.of(System.getProperty("deephash.elasticsearch.zip", "missing"));
        // under the system's temporary folder: the unprivileged user must be able to reach it (a clone under /root is not)
        work = java.nio.file.Files.createTempDirectory("deephash-es-");
        es = LocalElasticsearch.start(zip, work, null);
        client = EsCodeIndex.connect(es.url());
        Random r = new Random(8);
        long[] centres = r.longs(300).toArray();
        int n = 20_000;
        long[] words = new long[n];
        long[] ids = new long[n];
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(centres.length);
            words[i] = centres[c] ^ (1L << r.nextInt(64)) ^ (1L << r.nextInt(64)) ^ (r.nextBoolean() ? 1L << r.nextInt(64) : 0);
            ids[i] = 7L * i + 3;
            classes[i] = c % 10;
        }
        codes = BinaryCodes.of(64, words, ids);
        labels = MultiHotLabels.ofClasses(classes, 10);
        long[] q = new long[40];
        for (int i = 0; i < q.length; i++) {
            q[i] = centres[r.nextInt(centres.length)] ^ (1L << r.nextInt(64));
        }
        queries = BinaryCodes.of(64, q, null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client._transport().close();
        }
        if (es != null) {
            es.close();
        }
        if (work != null) {
            org.deephash4j.io.Folders.deleteTree(work);
        }
    }

    @Test
    void exactKnnOverBitVectorsGivesTheFlatScansNeighbours() throws Exception {
        EsCodeIndex index = new EsCodeIndex(client, "codes-flat");
        index.create(64, EsCodeIndex.VectorIndex.FLAT, true);
        index.push(codes, labels, 5_000);
        assertEquals(codes.size(), index.count());
        FlatIndex flat = new FlatIndex(64);
        flat.add(codes);
        int k = 25;
        SearchResult want = flat.search(queries, k);
        SearchResult got = index.search(queries, k, k, Set.of());
        assertEquals(k, got.k());
        for (int q = 0; q < queries.size(); q++) {
            int kth = want.distance(q, k - 1);
            RangeResult atKth = flat.rangeSearch(queries.subset(new int[] {q}), kth);
            Set<Long> tiedAtKth = new HashSet<>();
            for (int j = 0; j < atKth.count(0); j++) {
                if (atKth.distance(0, j) == kth) {
                    tiedAtKth.add(atKth.id(0, j));
                }
            }
            for (int j = 0; j < k; j++) {
                assertEquals(want.distance(q, j), got.distance(q, j), "query " + q + " rank " + j + ": the same distances");
                if (want.distance(q, j) < kth) {
                    assertEquals(want.id(q, j), got.id(q, j), "query " + q + " rank " + j + ": below the k-th distance, the same ids");
                } else {
                    assertTrue(tiedAtKth.contains(got.id(q, j)), "query " + q + ": a neighbour tied at the k-th distance");
                }
            }
        }
        // a label filter: Elasticsearch's filtered kNN against a filtered scan
        SearchResult filtered = index.search(queries, 10, 10, Set.of(3));
        for (int q = 0; q < queries.size(); q++) {
            int[] best = new int[10];
            java.util.Arrays.fill(best, Integer.MAX_VALUE);
            int[] all = new int[codes.size()];
            int m = 0;
            for (int i = 0; i < codes.size(); i++) {
                if (labels.has(i, 3)) {
                    all[m++] = codes.distance(i, queries, q);
                }
            }
            int[] sorted = java.util.Arrays.copyOf(all, m);
            java.util.Arrays.sort(sorted);
            for (int j = 0; j < 10; j++) {
                assertEquals(sorted[j], filtered.distance(q, j), "filtered query " + q + " rank " + j);
                int pos = codes.positionsOf(new long[] {filtered.id(q, j)})[0];
                assertTrue(labels.has(pos, 3), "only items labelled 3");
            }
        }
    }

    @Test
    void hnswRecallIsMeasuredAgainstExact() throws Exception {
        EsCodeIndex index = new EsCodeIndex(client, "codes-hnsw");
        index.create(64, EsCodeIndex.VectorIndex.HNSW, true);
        index.push(codes, null, 5_000);
        FlatIndex flat = new FlatIndex(64);
        flat.add(codes);
        SearchResult exact = flat.search(queries, 10);
        SearchResult approx = index.search(queries, 10, 100, Set.of());
        double recall = Recall.atK(exact, approx, 10);
        System.out.printf(java.util.Locale.ROOT, "HNSW (num_candidates 100) recall@10 on 20,000 clustered codes: %.3f%n", recall);
        assertTrue(recall > 0.5, "HNSW finds most exact neighbours: " + recall);
    }
}
