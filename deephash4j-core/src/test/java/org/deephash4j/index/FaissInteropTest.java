package org.deephash4j.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deephash4j.codes.BinaryCodes;
import org.deephash4j.codes.BitOrder;
import org.deephash4j.codes.CodesNpy;
import org.deephash4j.io.Npy;
import org.deephash4j.testing.Fixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both indexes against Faiss IndexBinaryFlat (Debian python3-faiss, which orders ties by ascending id
 * as well) on the same codes. Skipped, with a message, where python3-faiss is not installed.
 */
class FaissInteropTest {

    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    @BeforeAll
    static void requireFaiss() throws InterruptedException {
        boolean available;
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import faiss").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            available = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            available = false;
        }
        Assumptions.assumeTrue(available, "python3-faiss is not installed (apt-get install python3-faiss): Faiss interop skipped");
    }

    @ParameterizedTest(name = "{0} bits, clustered {1}, k {2}")
    @CsvSource({"64, false, 25", "64, true, 40", "128, false, 10", "256, true, 17"})
    void sameNeighboursAndDistancesAsFaissIncludingTies(int bits, boolean clustered, int k) throws Exception {
        Random r = new Random(bits + k);
        BinaryCodes db = IndexPropertyTest.codes(4000, bits, clustered, r, 0);
        db = db.withIds(java.util.stream.LongStream.range(0, db.size()).toArray());
        BinaryCodes q = IndexPropertyTest.codes(30, bits, clustered, r, 0);
        Path dbFile = dir.resolve("db.npy");
        Path qFile = dir.resolve("q.npy");
        CodesNpy.writePacked(dbFile, db, BitOrder.BIG);
        CodesNpy.writePacked(qFile, q, BitOrder.BIG);
        Process p = new ProcessBuilder(PYTHON, Fixtures.path("faiss/faiss_knn.py").toString(), dbFile.toString(), qFile.toString(),
                Integer.toString(k), dir.resolve("ids.npy").toString(), dir.resolve("dist.npy").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        long[] faissIds = Npy.read(dir.resolve("ids.npy")).toLongArray();
        long[] faissDist = Npy.read(dir.resolve("dist.npy")).toLongArray();
        for (HammingIndex index : new HammingIndex[] {new FlatIndex(bits), new MultiIndexHashing(bits)}) {
            index.add(db);
            SearchResult res = index.search(q, k);
            assertArrayEquals(faissIds, res.ids(), index.type() + " ids");
            assertArrayEquals(faissDist, java.util.Arrays.stream(res.distances()).asLongStream().toArray(), index.type() + " distances");
        }
    }
}
