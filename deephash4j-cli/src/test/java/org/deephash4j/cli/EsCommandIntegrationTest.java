package org.deephash4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.CodeFile;
import org.deephash4j.elasticsearch.LocalElasticsearch;
import org.deephash4j.index.FlatIndex;
import org.deephash4j.index.IndexFile;
import org.deephash4j.io.Npy;
import org.deephash4j.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deephash es push} and {@code es search} against a real Elasticsearch, beside {@code index build} and {@code search}. */
class EsCommandIntegrationTest {

    @TempDir
    Path tmp;

    @org.junit.jupiter.api.extension.RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void pushThenSearchGivesTheLocalSearchsDistancesAndHonoursLabels() throws Exception {
        Random r = new Random(12);
        long[] centres = r.longs(100).toArray();
        long[] words = new long[3000];
        long[] classes = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            int c = r.nextInt(centres.length);
            words[i] = centres[c] ^ (1L << r.nextInt(64));
            classes[i] = c % 5;
        }
        Path codes = tmp.resolve("db.dhc");
        CodeFile.write(codes, BinaryCodes.of(64, words, null));
        Path labels = tmp.resolve("labels.npy");
        Npy.write(labels, NpyArray.ofLongs(classes, classes.length));
        Path queries = tmp.resolve("q.dhc");
        CodeFile.write(queries, BinaryCodes.of(64, new long[] {centres[0], centres[7], centres[42]}, null));
        FlatIndex flat = new FlatIndex(64);
        flat.add(BinaryCodes.of(64, words, null));
        Path index = tmp.resolve("db.dhi");
        IndexFile.save(index, flat);

        Path work = Files.createTempDirectory("deephash-es-cli-");
        try (LocalElasticsearch es = LocalElasticsearch.start(LocalElasticsearch.defaultDistribution(), work, null)) {
            assertEquals(0, Main.execute("es", "push", "--url", es.url(), "--index", "db", "--codes", codes.toString(), "--labels",
                    labels.toString()), console.err());
            assertTrue(console.err().contains("3000 codes of 64 bits loaded into 'db' (flat)"), console.err());
            Path got = tmp.resolve("es.csv");
            assertEquals(0, Main.execute("es", "search", "--url", es.url(), "--index", "db", "--queries", queries.toString(), "-k", "15",
                    "-o", got.toString()), console.err());
            Path want = tmp.resolve("local.csv");
            assertEquals(0, Main.execute("search", "--index", index.toString(), "--queries", queries.toString(), "-k", "15", "-o",
                    want.toString()), console.err());
            List<String> g = Files.readAllLines(got);
            List<String> w = Files.readAllLines(want);
            assertEquals(w.size(), g.size());
            for (int i = 1; i < w.size(); i++) {
                assertEquals(w.get(i).replaceAll(",[0-9]+,([0-9]+)$", ",$1"), g.get(i).replaceAll(",[0-9]+,([0-9]+)$", ",$1"),
                        "query, rank and distance agree (ids may differ among ties)");
            }
            Path filtered = tmp.resolve("f.csv");
            assertEquals(0, Main.execute("es", "search", "--url", es.url(), "--index", "db", "--code",
                    java.util.HexFormat.of().toHexDigits(centres[3]), "--labels", "2", "-k", "5", "-o", filtered.toString()));
            for (String line : Files.readAllLines(filtered).subList(1, 6)) {
                int id = Integer.parseInt(line.split(",")[2]);
                assertEquals(2, classes[id], "only items labelled 2: " + line);
            }
            assertEquals(1, Main.execute("es", "search", "--url", es.url(), "--index", "nope", "--code", "00000000000000ff", "-o",
                    tmp.resolve("n.csv").toString()));
            assertTrue(console.err().contains("refused: no such index [nope]"), console.err());
        } finally {
            org.deephash4j.io.Folders.deleteTree(work);
        }
    }
}
