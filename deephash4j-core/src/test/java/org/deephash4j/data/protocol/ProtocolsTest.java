package org.deephash4j.data.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.deephash4j.data.MultiHotLabels;
import org.deephash4j.io.MalformedFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtocolsTest {

    @TempDir
    Path dir;

    /** 700 training items then 300 test items, 10 classes in turn. */
    static MultiHotLabels tenClasses(int n) {
        int[] c = new int[n];
        Arrays.setAll(c, i -> (i * 7) % 10);
        return MultiHotLabels.ofClasses(c, 10);
    }

    @Test
    void perClassProtocolDrawsTheRightCountsFromTheRightPools() {
        MultiHotLabels labels = tenClasses(1000);
        Protocol p = new PerClassProtocol("t", null, 10, true, 20, 5);
        Split s = p.split(labels, 700);
        assertEquals(100, s.query().length);
        assertEquals(900, s.database().length);
        assertEquals(200, s.train().length);
        assertTrue(Arrays.stream(s.query()).allMatch(q -> q >= 700), "queries come from the test set");
        int[] perClass = labels.subset(s.query()).classCounts();
        assertArrayEquals(new int[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, perClass);
        assertArrayEquals(new int[] {20, 20, 20, 20, 20, 20, 20, 20, 20, 20}, labels.subset(s.train()).classCounts());
        java.util.Set<Integer> db = new java.util.HashSet<>();
        Arrays.stream(s.database()).forEach(db::add);
        assertTrue(Arrays.stream(s.train()).allMatch(db::contains), "training items come from the database");
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        MultiHotLabels labels = tenClasses(1000);
        Split a = new PerClassProtocol("t", null, 10, true, 20, 5).split(labels, 700);
        Split b = new PerClassProtocol("t", null, 10, true, 20, 5).split(labels, 700);
        Split c = new PerClassProtocol("t", null, 10, true, 20, 6).split(labels, 700);
        assertEquals(a, b);
        assertNotEquals(a.query()[0] + "," + Arrays.toString(a.train()), c.query()[0] + "," + Arrays.toString(c.train()));
    }

    @Test
    void seededSplitIsPinnedAcrossReleases() {
        // SeededRandom is our own SplitMix64, so this split must never change.
        Split s = new PerClassProtocol("t", null, 1, true, 1, 42).split(tenClasses(40), 20);
        assertEquals("[20, 21, 22, 25, 27, 28, 33, 34, 36, 39]", Arrays.toString(s.query()));
        assertEquals("[3, 5, 7, 11, 12, 14, 18, 19, 26, 30]", Arrays.toString(s.train()));
    }

    @Test
    void multiLabelItemsAreDrawnOnce() {
        MultiHotLabels.Builder b = new MultiHotLabels.Builder(8, 2);
        for (int i = 0; i < 8; i++) {
            b.add(i, 0).add(i, 1);
        }
        Split s = new PerClassProtocol("m", null, 2, false, 1, 1).split(b.build(), 8);
        assertEquals(4, s.query().length);
        assertEquals(4, s.database().length);
        assertEquals(2, s.train().length);
    }

    @Test
    void tooFewItemsInAClassIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PerClassProtocol("t", null, 50, true, 1, 0).split(tenClasses(1000), 700));
        assertTrue(e.getMessage().contains("class 0 has only 30"), e.getMessage());
    }

    @Test
    void officialSplitUsesTestAsQueriesAndTrainAsDatabase() throws IOException {
        Split s = Protocols.parse("mnist-2").split(tenClasses(100), 60);
        assertEquals(40, s.query().length);
        assertEquals(60, s.query()[0]);
        assertArrayEquals(s.train(), s.database());
        assertEquals(60, s.database().length);
    }

    @Test
    void namedProtocolsHaveTheDocumentedShape() throws IOException {
        Protocol p = Protocols.parse("Fashion-MNIST");
        assertEquals("fashion-mnist", p.name());
        assertEquals("fashion-mnist", p.dataset().orElseThrow());
        Split s = p.split(tenClasses(70000), 60000);
        assertEquals(1000, s.query().length);
        assertEquals(5000, s.train().length);
        assertEquals(69000, s.database().length);
    }

    @Test
    void referenceListsShipWithTheProtocol() throws IOException {
        Protocol p = Protocols.parse("mnist-ref");
        Split s = p.split(tenClasses(70000), 60000);
        assertEquals(1000, s.query().length);
        assertEquals(5000, s.train().length);
        assertEquals(69000, s.database().length);
        assertTrue(s.query()[0] >= 60000);
    }

    @Test
    void customProtocolParsesAndRejectsUnknownKeys() throws IOException {
        Protocol p = Protocols.parse("custom:query=3,train=4,seed=9,query-from=all");
        Split s = p.split(tenClasses(200), 100);
        assertEquals(30, s.query().length);
        assertEquals(40, s.train().length);
        assertThrows(IllegalArgumentException.class, () -> Protocols.parse("custom:query=3,train=4,seed=9,colour=red"));
        assertThrows(IllegalArgumentException.class, () -> Protocols.parse("custom:query=3,train=4"));
        assertThrows(IllegalArgumentException.class, () -> Protocols.parse("custom:query=x,train=4,seed=1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Protocols.parse("cifar-17"));
        assertTrue(e.getMessage().contains("mnist-2"), e.getMessage());
    }

    @Test
    void splitFilesRoundTripAndDefaultTheDatabase() throws IOException {
        Protocol p = Protocols.parse("custom:query=2,train=3,seed=1");
        MultiHotLabels labels = tenClasses(200);
        Split s = p.split(labels, 100);
        SplitFiles.write(dir, p, "toy", s);
        assertTrue(Files.readString(dir.resolve(SplitFiles.PROTOCOL)).contains("\"seed\" : 1"));
        assertEquals(s, SplitFiles.read(dir).split(labels, 100));
        Files.delete(dir.resolve(SplitFiles.DATABASE));
        assertEquals(s, Protocols.parse(dir.toString()).split(labels, 100));
    }

    @Test
    void malformedIndexListsAreRefused() throws IOException {
        Files.writeString(dir.resolve("query.txt"), "1\n2\nthree\n");
        Files.writeString(dir.resolve("train.txt"), "5\n");
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> SplitFiles.read(dir));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        Files.writeString(dir.resolve("query.txt"), "1\n1\n");
        assertThrows(MalformedFileException.class, () -> SplitFiles.read(dir));
        Files.writeString(dir.resolve("query.txt"), "1\n500\n");
        IndexListProtocol p = SplitFiles.read(dir);
        assertThrows(IllegalArgumentException.class, () -> p.split(tenClasses(100), 50));
        Files.writeString(dir.resolve("query.txt"), "1\n2\n");
        Files.writeString(dir.resolve("database.txt"), "2\n3\n");
        IndexListProtocol overlap = SplitFiles.read(dir);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> overlap.split(tenClasses(100), 50));
        assertTrue(x.getMessage().contains("both a query and in the database"), x.getMessage());
    }

    @Test
    void validationSplitHoldsOutTrainingItemsAndNeverTouchesTheQueries() throws IOException {
        MultiHotLabels labels = tenClasses(3000);
        Protocol base = new PerClassProtocol("b", null, 10, true, 150, 3);
        Split outer = base.split(labels, 2100);
        Protocol val = new ValidationProtocol(base, 1000, 0);
        Split s = val.split(labels, 2100);
        assertEquals(1000, s.query().length);
        assertEquals(500, s.train().length);
        assertEquals(outer.database().length - 1000, s.database().length);
        java.util.Set<Integer> outerTrain = new java.util.HashSet<>();
        Arrays.stream(outer.train()).forEach(outerTrain::add);
        assertTrue(Arrays.stream(s.query()).allMatch(outerTrain::contains), "validation queries are training items");
        java.util.Set<Integer> all = new java.util.HashSet<>();
        for (int[] list : new int[][] {s.query(), s.train(), s.database()}) {
            Arrays.stream(list).forEach(all::add);
        }
        assertTrue(Arrays.stream(outer.query()).noneMatch(all::contains), "the base queries appear nowhere");
        java.util.Set<Integer> q = new java.util.HashSet<>();
        Arrays.stream(s.query()).forEach(q::add);
        assertTrue(Arrays.stream(s.train()).noneMatch(q::contains), "held-out items do not train");
        assertEquals(s, val.split(labels, 2100), "seeded: the same split every time");
        assertEquals("val:mnist", Protocols.parse("val:mnist").name());
        assertThrows(IllegalArgumentException.class, () -> new ValidationProtocol(base, 1500, 0).split(labels, 2100));
    }

    @Test
    void databaseTrainingTrainsOnTheBaseDatabaseAndKeepsItsQueries() throws IOException {
        MultiHotLabels labels = tenClasses(3000);
        Protocol base = new PerClassProtocol("b", null, 10, true, 150, 3);
        Split outer = base.split(labels, 2100);
        Split s = new DatabaseTrainingProtocol(base).split(labels, 2100);
        assertArrayEquals(outer.query(), s.query());
        assertArrayEquals(outer.database(), s.database());
        assertArrayEquals(outer.database(), s.train());
        assertEquals(2900, s.train().length);
        Protocol parsed = Protocols.parse("db-train:val:mnist");
        assertEquals("db-train:val:mnist", parsed.name());
        assertEquals(java.util.Optional.of("mnist"), parsed.dataset());
        assertThrows(IllegalArgumentException.class, () -> Protocols.parse("db-train:nope"));
    }
}
